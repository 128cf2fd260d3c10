/*
 * A stand-in for the SDK's delayimp.lib, for link tests off Windows: it defines the delay-load
 * helper the linker's thunks call, so a /DELAYLOAD link resolves as it does against the real one.
 * It never runs.
 */
void *__delayLoadHelper2(const void *descriptor, void **iat_entry) {
  (void)descriptor;
  return *iat_entry;
}
