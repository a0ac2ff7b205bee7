# optin_poison(target lib...): makes `#include` of a library's headers fail to compile in the
# target's own sources. For each library (pqxx, curl, httplib) a directory of same-named headers
# that hold only an #error is generated at configure time and put first on the target's private
# include path, in front of the system directories where the real headers live.
set(OPTIN_POISON_DIR ${CMAKE_BINARY_DIR}/poison)

function(optin_make_poison lib)
  set(dir ${OPTIN_POISON_DIR}/${lib})
  if(lib STREQUAL "httplib")
    set(headers httplib.h)
    set(owner "service/http/")
  else()
    # Debian keeps curl's headers under the multiarch directory.
    find_path(base_${lib} NAMES ${lib} PATHS /usr/include /usr/include/${CMAKE_LIBRARY_ARCHITECTURE} NO_DEFAULT_PATH)
    file(GLOB_RECURSE headers RELATIVE ${base_${lib}} ${base_${lib}}/${lib}/*)
    if(lib STREQUAL "pqxx")
      set(owner "storage/")
    else()
      set(owner "integrations/")
    endif()
  endif()
  foreach(h ${headers})
    file(WRITE ${dir}/${h} "#error \"<${h}> belongs to ${owner} only (layering: see README, Architecture)\"\n")
  endforeach()
endfunction()

foreach(lib pqxx curl httplib)
  optin_make_poison(${lib})
endforeach()

function(optin_poison target)
  foreach(lib ${ARGN})
    target_include_directories(${target} BEFORE PRIVATE ${OPTIN_POISON_DIR}/${lib})
  endforeach()
endfunction()
