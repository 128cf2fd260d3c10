#include <node_api.h>
#include <stdio.h>
#include <string.h>
#include "minicrc.h"
#include "ws_meta.h"

static napi_value Greet(napi_env env, napi_callback_info info) {
  (void)info;
  char buf[256];
  snprintf(buf, sizeof buf, "%s (crc %08x)", WS_GREETING, minicrc32(WS_GREETING, strlen(WS_GREETING)));
  napi_value out;
  napi_create_string_utf8(env, buf, NAPI_AUTO_LENGTH, &out);
  return out;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "greet", NAPI_AUTO_LENGTH, Greet, NULL, &fn);
  napi_set_named_property(env, exports, "greet", fn);
  return exports;
}
