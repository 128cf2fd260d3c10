/*
 * A stand-in for an application embedding Node under another name (Electron's electron.exe):
 * it exports the few Node-API functions the fixture addon calls, loads the addon the way Node
 * does (LoadLibraryExW with LOAD_WITH_ALTERED_SEARCH_PATH, so DLLs beside the addon are found),
 * registers it and calls the first function it exported.
 */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include <node_api.h>

static napi_callback registered;
static char names[256];
static char text[256];

napi_status NAPI_CDECL napi_create_string_utf8(napi_env env, const char *str, size_t length,
                                               napi_value *result) {
  (void)env;
  size_t n = length == NAPI_AUTO_LENGTH ? strlen(str) : length;
  if (n >= sizeof text) n = sizeof text - 1;
  memcpy(text, str, n);
  text[n] = '\0';
  *result = (napi_value)text;
  return napi_ok;
}

napi_status NAPI_CDECL napi_create_uint32(napi_env env, uint32_t value, napi_value *result) {
  (void)env, (void)value;
  *result = (napi_value)text;
  return napi_ok;
}

napi_status NAPI_CDECL napi_create_function(napi_env env, const char *utf8name, size_t length,
                                            napi_callback cb, void *data, napi_value *result) {
  (void)env, (void)utf8name, (void)length, (void)data;
  if (!registered) registered = cb;
  *result = (napi_value)&registered;
  return napi_ok;
}

napi_status NAPI_CDECL napi_set_named_property(napi_env env, napi_value object,
                                               const char *utf8name, napi_value value) {
  (void)env, (void)object, (void)value;
  strncat(names, utf8name, sizeof names - strlen(names) - 2);
  strcat(names, " ");
  return napi_ok;
}

int main(int argc, char **argv) {
  if (argc != 2) return 2;
  HMODULE addon = LoadLibraryExA(argv[1], NULL, LOAD_WITH_ALTERED_SEARCH_PATH);
  if (!addon) {
    printf("LoadLibrary failed: %lu\n", (unsigned long)GetLastError());
    return 1;
  }
  typedef napi_value(NAPI_CDECL * init_fn)(napi_env, napi_value);
  init_fn init = (init_fn)(void (*)(void))GetProcAddress(addon, "napi_register_module_v1");
  if (!init) return 3;
  init((napi_env)1, (napi_value)2);
  if (!registered) return 4;
  napi_value r = registered((napi_env)1, NULL);
  printf("exports: %s\ncall: %s\n", names, (const char *)r);
  return 0;
}
