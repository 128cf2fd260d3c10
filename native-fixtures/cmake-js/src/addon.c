#include <node_api.h>

#include "greet.h"

static napi_value Greet(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  napi_create_string_utf8(env, greet(), NAPI_AUTO_LENGTH, &out);
  return out;
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_value fn, version;
  napi_create_function(env, "greet", NAPI_AUTO_LENGTH, Greet, NULL, &fn);
  napi_set_named_property(env, exports, "greet", fn);
  /* The NAPI_VERSION the addon was compiled for (from package.json binary.napi_versions). */
  napi_create_uint32(env, NAPI_VERSION, &version);
  napi_set_named_property(env, exports, "napiVersion", version);
  return exports;
}

NAPI_MODULE(cjs_addon, Init)
