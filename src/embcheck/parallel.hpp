#pragma once
/// \file parallel.hpp
/// The work-sharing loop of the library (generation, analyses, reports): jobs taken in order
/// from one atomic counter by a few threads, the calling thread among them; and how its threads
/// are started.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

#if defined(__linux__)
#include <pthread.h>
#include <sched.h>
#endif

namespace embcheck::detail {

/// A new thread running `f`, queued on another CPU than the caller's where this thread may use
/// one, then free to run anywhere. Linux queues a new thread on its creator's CPU and may leave
/// it there, waiting, while another CPU idles: on the 2-CPU VMs this project is measured on, a
/// throwaway program (/tmp/lat.cpp, creator busy for 3 ms) saw a new thread start 1.2-3.0 ms
/// after its creation, and 50-120 us when it was placed on the other CPU.
template <class F>
std::jthread start_thread(F f) {
#if defined(__linux__)
  cpu_set_t allowed;
  if (::sched_getaffinity(0, sizeof allowed, &allowed) == 0) {
    cpu_set_t others = allowed;
    const int here = ::sched_getcpu();
    if (here >= 0 && here < CPU_SETSIZE) CPU_CLR(here, &others);
    if (CPU_COUNT(&others) > 0) {
      auto placed = std::make_shared<std::atomic<bool>>(false);
      std::jthread thread([f = std::move(f), allowed, placed]() mutable {
        placed->wait(false);  // until the creator has moved it; then any CPU again
        ::pthread_setaffinity_np(::pthread_self(), sizeof allowed, &allowed);
        f();
      });
      ::pthread_setaffinity_np(thread.native_handle(), sizeof others, &others);
      placed->store(true);
      placed->notify_one();
      return thread;
    }
  }
#endif
  return std::jthread(std::move(f));
}

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
    // A thread that cannot be started (EAGAIN under a tight `ulimit -v` or `ulimit -u`) leaves
    // its share to the threads that did start: every job still runs, on fewer threads.
    std::vector<std::jthread> pool;
    try {
      for (unsigned t = 1; t < used; ++t) pool.push_back(start_thread([&worker, t] { worker(t); }));
    } catch (const std::system_error&) {
    }
    worker(0);
  }
  if (failure) std::rethrow_exception(failure);
}

}  // namespace embcheck::detail
