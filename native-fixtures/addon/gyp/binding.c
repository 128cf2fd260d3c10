/* An addon built by node-gyp whose flags come from Kiln's link manifest (the binding.gyp bridge):
 * core is Kiln's static library, zlib was found by Kiln's pkg-config plugin. */
#include <node_api.h>
#include <zlib.h>

#include "core.h"

static napi_value Sum(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], result;
  int32_t a = 0, b = 0;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  napi_get_value_int32(env, argv[0], &a);
  napi_get_value_int32(env, argv[1], &b);
  napi_create_int32(env, core_add(a, b), &result);
  return result;
}

static napi_value Crc(napi_env env, napi_callback_info info) {
  size_t argc = 1, len = 0;
  napi_value argv[1], result;
  char text[256];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  napi_get_value_string_utf8(env, argv[0], text, sizeof text, &len);
  napi_create_uint32(env, (uint32_t)crc32(0L, (const Bytef *)text, (uInt)len), &result);
  return result;
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"sum", NULL, Sum, NULL, NULL, NULL, napi_default, NULL},
      {"crc", NULL, Crc, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, 2, props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
