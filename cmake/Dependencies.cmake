# Dependencies.cmake -- every third-party library comes from pkg-config as an IMPORTED target.
# Debian 12 package names are listed in tools/install-deps.sh.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
pkg_check_modules(LIBHS REQUIRED IMPORTED_TARGET libhs)
pkg_check_modules(LIBZMQ REQUIRED IMPORTED_TARGET libzmq)
# msgpack-c renamed its pkg-config module in v6 (msgpack-c) -- accept both.
pkg_search_module(MSGPACK REQUIRED IMPORTED_TARGET msgpack-c msgpack)
pkg_check_modules(UTF8PROC REQUIRED IMPORTED_TARGET libutf8proc)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
# libxml2: the UN consolidated list importer (screen/src/import_un.c).
pkg_check_modules(LIBXML2 REQUIRED IMPORTED_TARGET libxml-2.0)
if(WITH_JEMALLOC)
    pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)
endif()
if(BUILD_TESTING)
    pkg_check_modules(CRITERION REQUIRED IMPORTED_TARGET criterion)
endif()

# 'allocator': link into stage programs only (not libraries), so tests and sanitizer builds
# keep the system allocator.
add_library(allocator INTERFACE)
if(WITH_JEMALLOC)
    target_link_libraries(allocator INTERFACE PkgConfig::JEMALLOC)
    target_compile_definitions(allocator INTERFACE CORE_WITH_JEMALLOC=1)
endif()
