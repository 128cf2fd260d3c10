#include <stdio.h>
#include <node_api.h>
#include "scale.h"

static napi_value hello(napi_env env, napi_callback_info info) {
  char text[64];
  napi_value result;
  (void)info;
  snprintf(text, sizeof text, "world scaled %d", kit_scale(7));
  napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &result);
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "hello", NAPI_AUTO_LENGTH, hello, NULL, &fn);
  napi_set_named_property(env, exports, "hello", fn);
  return exports;
}
