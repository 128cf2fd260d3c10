// The same addon in C++ with node-addon-api (built without C++ exceptions, node-gyp's default:
// errors are thrown into JavaScript with ThrowAsJavaScriptException).
#include <napi.h>
#include <zlib.h>

#include <string>
#include <vector>

#include "core.h"
#include "kit.h"

namespace {

Napi::Value Add(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), core_add(info[0].As<Napi::Number>().Int32Value(),
                                                info[1].As<Napi::Number>().Int32Value()));
}

Napi::Value Greeting(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), std::string(core_greeting()) + " (via C++)");
}

Napi::Value Crc32(const Napi::CallbackInfo& info) {
  std::string text = info[0].As<Napi::String>().Utf8Value();
  uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(text.data()), static_cast<uInt>(text.size()));
  return Napi::Number::New(info.Env(), static_cast<double>(crc));
}

Napi::Value RoundTrip(const Napi::CallbackInfo& info) {
  std::string text = info[0].As<Napi::String>().Utf8Value();
  std::vector<Bytef> packed(compressBound(text.size()));
  uLongf packedLen = packed.size();
  std::vector<char> back(text.size() + 1);
  uLongf backLen = back.size();
  if (compress(packed.data(), &packedLen, reinterpret_cast<const Bytef*>(text.data()), text.size()) != Z_OK ||
      uncompress(reinterpret_cast<Bytef*>(back.data()), &backLen, packed.data(), packedLen) != Z_OK) {
    Napi::Error::New(info.Env(), "zlib round trip failed").ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  return Napi::String::New(info.Env(), back.data(), backLen);
}

Napi::Value Scale(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), kit_scale(info[0].As<Napi::Number>().Int32Value()));
}

Napi::Value KitName(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), kit_name()); }

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("add", Napi::Function::New(env, Add));
  exports.Set("greeting", Napi::Function::New(env, Greeting));
  exports.Set("crc32", Napi::Function::New(env, Crc32));
  exports.Set("roundTrip", Napi::Function::New(env, RoundTrip));
  exports.Set("scale", Napi::Function::New(env, Scale));
  exports.Set("kitName", Napi::Function::New(env, KitName));
  return exports;
}

}  // namespace

NODE_API_MODULE(NODE_GYP_MODULE_NAME, Init)
