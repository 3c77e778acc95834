# Sanitizers.cmake -- the INTERFACE target 'sanitizers' applies -DSANITIZE=... to every target
# that links it. jemalloc is turned off under sanitizers: their allocator must own the heap.
add_library(sanitizers INTERFACE)
if(SANITIZE)
    target_compile_options(sanitizers INTERFACE -fsanitize=${SANITIZE} -fno-sanitize-recover=all
                                                -fno-omit-frame-pointer)
    target_link_options(sanitizers INTERFACE -fsanitize=${SANITIZE})
    set(WITH_JEMALLOC OFF CACHE BOOL "" FORCE)
endif()
