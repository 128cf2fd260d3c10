#include <node_api.h>
#include "hello.h"

static napi_value Answer(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  napi_create_int32(env, hello_answer(), &out);
  return out;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "answer", NAPI_AUTO_LENGTH, Answer, NULL, &fn);
  napi_set_named_property(env, exports, "answer", fn);
  return exports;
}
