#include <node_api.h>
#include <string.h>
#include "minicrc.h"

static napi_value Crc(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  char buf[256];
  size_t len = 0;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  napi_get_value_string_utf8(env, argv[0], buf, sizeof buf, &len);
  napi_value out;
  napi_create_uint32(env, minicrc32(buf, len) ^ (minicrc_tag() - 1u), &out);
  return out;
}

static napi_value Tag(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  napi_create_uint32(env, minicrc_tag(), &out);
  return out;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "crc", NAPI_AUTO_LENGTH, Crc, NULL, &fn);
  napi_set_named_property(env, exports, "crc", fn);
  napi_create_function(env, "tag", NAPI_AUTO_LENGTH, Tag, NULL, &fn);
  napi_set_named_property(env, exports, "tag", fn);
  return exports;
}
