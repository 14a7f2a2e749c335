# CLI tests of `embcheck compare A B` (docs/compare.md), included from tests/cli/CMakeLists.txt.
# In script mode (cmake -DNDJSON=file -DLINES=n -P compare.cmake) this file instead parses an NDJSON
# report line by line with CMake's JSON parser and checks its records.
if(CMAKE_SCRIPT_MODE_FILE)
  # Lines are cut at newlines by hand: a CMake list would also split at the semicolons of reasons.
  file(READ "${NDJSON}" content)
  set(records "")
  set(index 0)
  while(NOT content STREQUAL "")
    string(FIND "${content}" "\n" end)
    if(end EQUAL -1)
      message(FATAL_ERROR "line ${index} does not end with a newline")
    endif()
    string(SUBSTRING "${content}" 0 ${end} line)
    math(EXPR next "${end} + 1")
    string(SUBSTRING "${content}" ${next} -1 content)
    string(JSON record ERROR_VARIABLE bad GET "${line}" record)
    if(bad)
      message(FATAL_ERROR "line ${index} is not a JSON object with a record: ${bad}\n${line}")
    endif()
    if(record MATCHES "^(row|column|table)$")
      string(JSON d GET "${line}" tests ks statistic)
      string(JSON n GET "${line}" a n)
    elseif(record STREQUAL "summary")
      string(JSON kind GET "${line}" kind)
      string(JSON verdict GET "${line}" verdict)
      if(NOT kind STREQUAL "compare" OR NOT verdict MATCHES "^(pass|fail)$" OR NOT content STREQUAL "")
        message(FATAL_ERROR "the summary must be the last line, of kind compare: ${line}")
      endif()
    else()
      message(FATAL_ERROR "line ${index}: record '${record}'")
    endif()
    string(APPEND records "${record} ")
    math(EXPR index "${index} + 1")
  endwhile()
  if(NOT index EQUAL LINES)
    message(FATAL_ERROR "${NDJSON}: ${index} lines, expected ${LINES}")
  endif()
  if(NOT records MATCHES "^(row )+(column )+table summary $")
    message(FATAL_ERROR "records out of order: ${records}")
  endif()
  return()
endif()

set(compare_schema "${PROJECT_SOURCE_DIR}/docs/compare.schema.json")

# embcheck_compare_test(NAME ...): embcheck_cli_test's arguments, with the JSON report validated
# against docs/compare.schema.json.
function(embcheck_compare_test name)
  cmake_parse_arguments(T "" "EXIT;STDOUT;STDERR;ABSENT;JSON_OUT;WORKDIR;STDIN" "ARGS;JSON_CHECKS" ${ARGN})
  list(JOIN T_ARGS "|" joined_args)
  list(JOIN T_JSON_CHECKS "|" joined_checks)
  set(workdir "${CMAKE_CURRENT_BINARY_DIR}/work/compare.${name}")
  set(keep 0)
  if(T_WORKDIR)
    set(workdir "${CMAKE_CURRENT_BINARY_DIR}/work/${T_WORKDIR}")
    set(keep 1)
  endif()
  add_test(NAME cli.compare.${name}
    COMMAND ${CMAKE_COMMAND} "-DEXE=$<TARGET_FILE:embcheck>" "-DARGS=${joined_args}" "-DEXIT=${T_EXIT}"
      "-DSTDOUT=${T_STDOUT}" "-DSTDERR=${T_STDERR}" "-DABSENT=${T_ABSENT}" "-DWORKDIR=${workdir}"
      "-DKEEP_WORKDIR=${keep}" "-DSTDIN=${T_STDIN}" "-DJSON_OUT=${T_JSON_OUT}" "-DJSON_CHECKS=${joined_checks}"
      "-DVALIDATOR=$<TARGET_FILE:validate_json>" "-DSCHEMA=${compare_schema}"
      -P "${CMAKE_CURRENT_SOURCE_DIR}/run_cli.cmake")
endfunction()

# --- the same distribution: exit 0 ----------------------------------------------------------------
embcheck_compare_test(identical EXIT 0 ARGS compare gen:dim=1000 gen:dim=1000
  STDOUT "rows: 5 of A against 5 of B: 5 compared\n.*\n +0 +1000 +1000 +0 +1 +0.000000 +1.0000 .*pooled +5000 +5000 .*verdict: PASS")
embcheck_compare_test(identical_json EXIT 0 ARGS compare gen:dim=1000 gen:dim=1000 --format json --output r.json
  JSON_OUT r.json
  JSON_CHECKS "/kind=\"compare\"" "/schema_version=1" "/rows/4/tests/ks/statistic=0" "/rows/4/tests/ks/p_value=1"
              "/table/tests/ks/statistic=0" "/table/difference/mean=0" "/verdict=\"pass\"" "/family_size=12")
embcheck_compare_test(other_seed EXIT 0 ARGS compare gen:rows=4,dim=2000 gen:rows=4,dim=2000,seed=1
  STDOUT "seed 1, rng torch.*verdict: PASS \\(4 of 4 rows pass")
embcheck_compare_test(scalar_rng EXIT 0 ARGS compare gen:dim=5000 gen:dim=5000,rng=torch-scalar,seed=9 --tests all
  STDOUT "rng torch-scalar.*verdict: PASS")
embcheck_compare_test(unequal_rows EXIT 0 ARGS compare gen:rows=3,dim=500 gen:rows=5,dim=500,seed=1
  STDOUT "rows: 3 of A against 5 of B: 3 compared, 2 rows of B unmatched \\(not tested\\).*verdict: PASS \\(3 of 3 rows")
embcheck_compare_test(unequal_dims_rows EXIT 0 ARGS compare gen:rows=2,dim=300 gen:rows=2,dim=700,seed=2
  --format json --output r.json JSON_OUT r.json
  JSON_CHECKS "/rows/1/a/n=300" "/rows/1/b/n=700" "/table/b/n=1400" "/matching/unmatched_rows=0")

# --- a different distribution: exit 1 -------------------------------------------------------------
embcheck_compare_test(std_scaled EXIT 1 ARGS compare gen:dim=100000 gen:dim=100000,std=1.1,seed=1
  STDOUT "verdict: FAIL")
embcheck_compare_test(std_scaled_json EXIT 1 ARGS compare gen:rows=2,dim=100000 gen:rows=2,dim=100000,std=1.1,seed=1
  --format json --output r.json JSON_OUT r.json
  JSON_CHECKS "/verdict=\"fail\"" "/table/verdict=\"fail\"" "/table/tests/anderson/rejected=true"
              "/table/tests/anderson/p_value_interpolated=0.001" "/table/tests/anderson/p_value_interpolated_bound=\"at_most\""
              "/tripped/0/threshold=\"fail\"")
# Rows of 5 values give Anderson-Darling p-values that are not calibrated: no row is ranked among the
# worst (until 2026-11-28 every row was listed with "p = 1").
embcheck_compare_test(worst_rows_none_calibrated EXIT 1 ARGS compare gen:dim=5 gen:dim=5,seed=1,mean=5 --tests anderson
  STDOUT "\n\\* p-value not calibrated[^\n]*\nworst rows \\(smallest calibrated p-value\\): none, no row has a calibrated p-value\nverdict: FAIL")
embcheck_compare_test(uniform_against_normal EXIT 1 ARGS compare gen:dim=2000 gen:dim=2000,init=uniform,low=-1.7320508,high=1.7320508
  --axis table STDOUT "pooled.*fail \\(ks rejects")

# --- files: against a gen: spec, from stdin, of another dtype ---------------------------------------
embcheck_cli_test(compare_save_table EXIT 0 ARGS --rows 3 --dim 100 --seed 3 --save-table t.npy WORKDIR compare_files)
embcheck_compare_test(file_against_gen EXIT 0 ARGS compare t.npy gen:rows=3,dim=100,seed=3 --axis all --format json
  --output r.json WORKDIR compare_files JSON_OUT r.json
  JSON_CHECKS "/config/a/source=\"file\"" "/config/a/format=\"npy\"" "/config/a/input=\"t.npy\"" "/config/b/source=\"generated\""
              "/config/b/seed=3" "/rows/2/tests/ks/statistic=0" "/columns/99/tests/ks/statistic=0")
set_tests_properties(cli.compare_save_table PROPERTIES FIXTURES_SETUP compare_files)
set_tests_properties(cli.compare.file_against_gen PROPERTIES FIXTURES_REQUIRED compare_files)
embcheck_compare_test(float64_file_against_gen EXIT 0
  ARGS compare "${cli_fixtures}/normal_float64_4x300.npy" gen:rows=4,dim=300,seed=11
  STDOUT "A: 4 rows x 300 values \\(float64\\), '.*normal_float64_4x300.npy' \\(npy\\).*verdict: PASS")
embcheck_compare_test(stdin_against_gen EXIT 0 ARGS compare gen:rows=4,dim=300,seed=11 -
  STDIN "${cli_fixtures}/normal_float64_4x300.npy" STDOUT "B: 4 rows x 300 values \\(float64\\), standard input")
embcheck_compare_test(nan_row_untestable EXIT 1 ARGS compare "${cli_fixtures}/with_nan.npy" "${cli_fixtures}/with_nan.npy"
  --format json --output r.json JSON_OUT r.json
  JSON_CHECKS "/rows/1/verdict=\"untestable\"" "/rows/1/tests/ks/p_value=null" "/verdict=\"fail\"")

# --- errors -----------------------------------------------------------------------------------
embcheck_compare_test(columns_unequal_dims EXIT 3 ARGS compare gen:dim=10 gen:dim=12 --axis columns
  STDERR "^embcheck: columns need equal dims: A is 5 x 10, B is 5 x 12\n$")
embcheck_compare_test(gen_unknown_key EXIT 2 ARGS compare gen:dim=10,foo=1 gen:dim=10
  STDERR "gen spec 'gen:dim=10,foo=1': unknown key 'foo' \\(keys: rows, dim, seed")
embcheck_compare_test(gen_no_dim EXIT 2 ARGS compare gen:rows=5 gen:dim=10 STDERR "gen spec 'gen:rows=5': dim is required")
embcheck_compare_test(gen_rows_zero EXIT 2 ARGS compare gen:rows=0,dim=5 gen:dim=5 STDERR "rows: '0' is not an integer >= 1")
embcheck_compare_test(gen_bad_init EXIT 2 ARGS compare gen:dim=5,init=gaussian gen:dim=5
  STDERR "init: 'gaussian' not in \\{normal,uniform,uninit\\}")
embcheck_compare_test(gen_bad_seed EXIT 2 ARGS compare gen:dim=5 gen:dim=5,seed=1.5 STDERR "seed: '1.5' is not an integer")
embcheck_compare_test(gen_std_for_uniform EXIT 2 ARGS compare gen:dim=5,init=uniform,std=2 gen:dim=5
  STDERR "std applies to init=normal")
embcheck_compare_test(gen_not_key_value EXIT 2 ARGS compare gen:dim gen:dim=5 STDERR "'dim' is not KEY=VALUE")
embcheck_compare_test(both_stdin EXIT 2 ARGS compare - - STDERR "only one of A and B can be standard input")
embcheck_compare_test(missing_b EXIT 2 ARGS compare gen:dim=5 STDERR "B is required")
embcheck_compare_test(tests_unknown EXIT 2 ARGS compare gen:dim=5 gen:dim=5 --tests ks,cvm
  STDERR "--tests: 'cvm' is not a comparison test")
embcheck_compare_test(tensor_without_file EXIT 2 ARGS compare gen:dim=5 gen:dim=5 --tensor w
  STDERR "--tensor applies to file inputs")
embcheck_compare_test(main_option_before EXIT 2 ARGS --dim 10 compare gen:dim=5 gen:dim=5
  STDERR "--dim.*belongs to the main command")
embcheck_compare_test(file_missing EXIT 3 ARGS compare missing.npy gen:dim=5 STDERR "'missing.npy'.*No such file")
embcheck_compare_test(output_missing_directory EXIT 3 ARGS compare gen:dim=5 gen:dim=5 --output no/dir/r.json
  STDERR "no/dir/r.json" ABSENT no/dir/r.json)
embcheck_compare_test(help EXIT 0 ARGS compare --help STDOUT "A .*B .*--axis.*--tests.*--correction")
embcheck_compare_test(main_command_unchanged EXIT 0 ARGS --rows 2 --dim 100 STDOUT "verdict: PASS")

# --- NDJSON: one object per row, column and the table, then the summary; parsed line by line -------
embcheck_compare_test(ndjson EXIT 0 ARGS compare gen:rows=3,dim=50 gen:rows=3,dim=50,seed=2 --axis all --format ndjson
  --output r.ndjson WORKDIR compare_ndjson)
add_test(NAME cli.compare.ndjson_parsed
  COMMAND ${CMAKE_COMMAND} "-DNDJSON=${CMAKE_CURRENT_BINARY_DIR}/work/compare_ndjson/r.ndjson" -DLINES=55
    -P "${CMAKE_CURRENT_SOURCE_DIR}/compare.cmake")
set_tests_properties(cli.compare.ndjson PROPERTIES FIXTURES_SETUP compare_ndjson)
set_tests_properties(cli.compare.ndjson_parsed PROPERTIES FIXTURES_REQUIRED compare_ndjson)
embcheck_compare_test(ndjson_stdout EXIT 0 ARGS compare gen:rows=2,dim=100 gen:rows=2,dim=100,seed=5 --format ndjson
  STDOUT "^{\"record\":\"row\",\"index\":0,[^\n]*}\n{\"record\":\"row\",\"index\":1,[^\n]*}\n{\"record\":\"table\",[^\n]*}\n{\"record\":\"summary\",\"schema_version\":1,\"kind\":\"compare\",[^\n]*\"verdict\":\"pass\"}\n$")
