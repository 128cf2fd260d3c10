#include <stdio.h>

int asm_answer(void);
int asm_twice(void);

int main(void) {
  printf("answer=%d twice=%d\n", asm_answer(), asm_twice());
  return 0;
}
