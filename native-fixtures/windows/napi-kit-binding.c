/* A Node-API addon over a DLL of an earlier step, with no C runtime calls. */
#include <node_api.h>

__declspec(dllimport) int kit_answer(void);

static napi_value answer(napi_env env, napi_callback_info info) {
  napi_value result;
  (void)info;
  napi_create_int32(env, kit_answer(), &result);
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "answer", NAPI_AUTO_LENGTH, answer, NULL, &fn);
  napi_set_named_property(env, exports, "answer", fn);
  return exports;
}
