// Tests of parallel.hpp: the work-sharing loop and how its threads are started.
#include "embcheck/parallel.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <stdexcept>
#include <vector>

#if defined(__linux__)
#include <sched.h>
#endif

TEST_CASE("parallel_for runs every job once, on at most the threads asked for") {
  for (const unsigned threads : {1u, 2u, 5u}) {
    CAPTURE(threads);
    std::vector<std::atomic<int>> runs(1000);
    std::atomic<unsigned> highest_worker{0};
    embcheck::detail::parallel_for(runs.size(), threads, [&](std::size_t job, unsigned worker) {
      ++runs[job];
      unsigned seen = highest_worker.load();
      while (worker > seen && !highest_worker.compare_exchange_weak(seen, worker)) {
      }
    });
    for (const auto& r : runs) REQUIRE(r.load() == 1);
    CHECK(highest_worker.load() < threads);
  }
}

TEST_CASE("parallel_for rethrows a job's exception once every thread has stopped") {
  std::atomic<int> finished{0};
  CHECK_THROWS_AS(embcheck::detail::parallel_for(100, 2,
                                                 [&](std::size_t job, unsigned) {
                                                   if (job == 50) throw std::runtime_error("job 50");
                                                   ++finished;
                                                 }),
                  std::runtime_error);
  CHECK(finished.load() >= 50);
}

TEST_CASE("start_thread runs the function, and the thread may then use every CPU its creator may") {
  std::atomic<bool> ran{false};
#if defined(__linux__)
  cpu_set_t creator;
  REQUIRE(sched_getaffinity(0, sizeof creator, &creator) == 0);
  cpu_set_t inside;
  CPU_ZERO(&inside);
  embcheck::detail::start_thread([&] {
    ran = true;
    (void)sched_getaffinity(0, sizeof inside, &inside);
  }).join();
  CHECK(CPU_EQUAL(&creator, &inside));
#else
  embcheck::detail::start_thread([&] { ran = true; }).join();
#endif
  CHECK(ran.load());
}
