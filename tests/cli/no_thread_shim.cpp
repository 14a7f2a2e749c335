// LD_PRELOAD shim for cli.no_threads_*: pthread_create always fails with EAGAIN, as it does under
// a tight `ulimit -v` (no room for a thread's stack) or `ulimit -u`. embcheck must then do every
// job on the threads it has, the calling one at least, and give the report of --threads 1.
#include <pthread.h>

#include <cerrno>

extern "C" int pthread_create(pthread_t*, const pthread_attr_t*, void* (*)(void*), void*) { return EAGAIN; }
