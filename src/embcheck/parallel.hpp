#pragma once
/// \file parallel.hpp
/// The work-sharing loop of the library (generation, analyses, reports): jobs taken in order
/// from one atomic counter by a few threads, the calling thread among them.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace embcheck::detail {

/// Calls job(k, worker) for every k in [0, jobs) on min(threads, jobs) threads, the caller's
/// being worker 0 (so per-worker state can be indexed by it); once every thread has stopped,
/// rethrows the first exception a job threw.
template <class Job>
void parallel_for(std::size_t jobs, unsigned threads, const Job& job) {
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  const auto worker = [&](unsigned id) {
    try {
      for (std::size_t k = next++; k < jobs; k = next++) job(k, id);
    } catch (...) {
      const std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
    }
  };
  const auto used = static_cast<unsigned>(std::clamp<std::size_t>(jobs, 1, std::max(1u, threads)));
  {
    std::vector<std::jthread> pool;
    for (unsigned t = 1; t < used; ++t) pool.emplace_back(worker, t);
    worker(0);
  }
  if (failure) std::rethrow_exception(failure);
}

}  // namespace embcheck::detail
