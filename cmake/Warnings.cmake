# Warnings.cmake -- the INTERFACE target 'warnings' carries our warning flags.
add_library(warnings INTERFACE)
target_compile_options(warnings INTERFACE
    -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wvla
    -Wno-format-nonliteral)
if(WERROR)
    target_compile_options(warnings INTERFACE -Werror)
endif()
target_compile_definitions(warnings INTERFACE _GNU_SOURCE)
