// LD_PRELOAD shim for tests/cli/signals.sh: fsync never returns (it waits for signals), so an
// atomic write of embcheck stops with its temporary file written and not yet renamed, and a
// signal can be sent at that point deterministically.
#include <unistd.h>

extern "C" int fsync(int) {
  for (;;) ::pause();
}
