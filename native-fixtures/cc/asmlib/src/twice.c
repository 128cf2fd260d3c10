int asm_answer(void);

int asm_twice(void) { return 2 * asm_answer(); }
