# Signals (issue 7): SIGINT, SIGTERM and SIGHUP end embcheck quietly, killed by the signal
# (status 128 + signo in a shell), with no temporary file of an atomic write left behind.
# Included at the end of tests/cli/CMakeLists.txt; the cases are in signals.sh.
#
# To stop the program deterministically in the middle of writing --output, signal_shim (an
# LD_PRELOAD library) makes fsync wait forever: the temporary file is then written and not yet
# renamed. Under AddressSanitizer the runtime must come first in the library list; the script
# relaxes that check (ASAN_OPTIONS=verify_asan_link_order=0).
add_library(signal_shim MODULE signal_shim.cpp)
foreach(signal_case IN ITEMS int_during_write term_during_write hup_during_write int_before_output
                             term_before_output)
  add_test(NAME cli.signal_${signal_case}
    COMMAND bash "${CMAKE_CURRENT_SOURCE_DIR}/signals.sh" ${signal_case} $<TARGET_FILE:embcheck>
      $<TARGET_FILE:signal_shim>)
  set_tests_properties(cli.signal_${signal_case} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 60)
endforeach()
