list(APPEND ANIMEREC_APP_SOURCES
  http/json_request.cpp
  http/api_endpoints.cpp
  http/recommendation_json.cpp
  http/api_server.cpp
  http/route_table.cpp
  http/cache_warmer.cpp
  http/api_endpoints_experiments.cpp
  http/api_endpoints_quality.cpp
  http/quality_tap.cpp
  http/serve_settings.cpp
)
# GET /openapi.json serves openapi.json verbatim; it is compiled in so the binary is self-contained.
file(READ ${CMAKE_CURRENT_LIST_DIR}/openapi.json ANIMEREC_OPENAPI_JSON)
configure_file(${CMAKE_CURRENT_LIST_DIR}/openapi_document.cpp.in
               ${CMAKE_CURRENT_BINARY_DIR}/http/openapi_document.cpp @ONLY)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/openapi.json)
list(APPEND ANIMEREC_APP_SOURCES ${CMAKE_CURRENT_BINARY_DIR}/http/openapi_document.cpp)
