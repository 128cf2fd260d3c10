/* asm_answer(): returns 42. Preprocessed assembly (.S) for the common 64-bit arches. */
#if defined(__APPLE__)
#define SYM(x) _##x
#else
#define SYM(x) x
#endif

  .text
  .globl SYM(asm_answer)
#if defined(__x86_64__)
SYM(asm_answer):
  movl $42, %eax
  ret
#elif defined(__aarch64__)
  .p2align 2
SYM(asm_answer):
  mov w0, #42
  ret
#else
#error "asm_answer: no implementation for this architecture"
#endif

#if defined(__linux__)
  .section .note.GNU-stack,"",@progbits
#endif
