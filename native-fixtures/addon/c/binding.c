/* A Node-API addon in C over three libraries: core (static, cc), zlib (pkg-config) and kit
 * (shared, CMake). Every function returns something the tests and the demo can check. */
#include <node_api.h>
#include <string.h>
#include <zlib.h>

#include "core.h"
#include "kit.h"

#define CHECK(call)                                                                     \
  do {                                                                                  \
    if ((call) != napi_ok) {                                                            \
      napi_throw_error(env, NULL, #call " failed");                                     \
      return NULL;                                                                      \
    }                                                                                   \
  } while (0)

static int32_t arg_int(napi_env env, napi_callback_info info, size_t index) {
  size_t argc = 2;
  napi_value argv[2];
  int32_t out = 0;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (index < argc) napi_get_value_int32(env, argv[index], &out);
  return out;
}

static napi_value Add(napi_env env, napi_callback_info info) {
  napi_value result;
  CHECK(napi_create_int32(env, core_add(arg_int(env, info, 0), arg_int(env, info, 1)), &result));
  return result;
}

static napi_value Greeting(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  CHECK(napi_create_string_utf8(env, core_greeting(), NAPI_AUTO_LENGTH, &result));
  return result;
}

/* crc32 of a string, computed by zlib. */
static napi_value Crc32(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  char text[1024];
  size_t len = 0;
  napi_value result;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  CHECK(napi_get_value_string_utf8(env, argv[0], text, sizeof text, &len));
  CHECK(napi_create_uint32(env, (uint32_t)crc32(0L, (const Bytef *)text, (uInt)len), &result));
  return result;
}

/* compress + uncompress through zlib; returns the round-tripped string. */
static napi_value RoundTrip(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  char text[1024], back[1024];
  Bytef packed[2048];
  uLongf packed_len = sizeof packed, back_len = sizeof back;
  size_t len = 0;
  napi_value result;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  CHECK(napi_get_value_string_utf8(env, argv[0], text, sizeof text, &len));
  if (compress(packed, &packed_len, (const Bytef *)text, (uLong)len) != Z_OK ||
      uncompress((Bytef *)back, &back_len, packed, packed_len) != Z_OK) {
    napi_throw_error(env, NULL, "zlib round trip failed");
    return NULL;
  }
  CHECK(napi_create_string_utf8(env, back, back_len, &result));
  return result;
}

static napi_value Scale(napi_env env, napi_callback_info info) {
  napi_value result;
  CHECK(napi_create_int32(env, kit_scale(arg_int(env, info, 0)), &result));
  return result;
}

static napi_value KitName(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  CHECK(napi_create_string_utf8(env, kit_name(), NAPI_AUTO_LENGTH, &result));
  return result;
}

static napi_value ZlibVersion(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  CHECK(napi_create_string_utf8(env, zlibVersion(), NAPI_AUTO_LENGTH, &result));
  return result;
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"add", NULL, Add, NULL, NULL, NULL, napi_default, NULL},
      {"greeting", NULL, Greeting, NULL, NULL, NULL, napi_default, NULL},
      {"crc32", NULL, Crc32, NULL, NULL, NULL, napi_default, NULL},
      {"roundTrip", NULL, RoundTrip, NULL, NULL, NULL, napi_default, NULL},
      {"zlibVersion", NULL, ZlibVersion, NULL, NULL, NULL, napi_default, NULL},
      {"scale", NULL, Scale, NULL, NULL, NULL, napi_default, NULL},
      {"kitName", NULL, KitName, NULL, NULL, NULL, napi_default, NULL},
  };
  CHECK(napi_define_properties(env, exports, sizeof props / sizeof props[0], props));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
