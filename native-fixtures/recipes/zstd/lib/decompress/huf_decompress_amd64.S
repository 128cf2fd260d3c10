/* Stand-in for zstd's x86-64 Huffman loop: returns 1 (System V ABI, GNU as). */
#if defined(__x86_64__) && !defined(_WIN32)
        .text
        .globl zstdfix_huf_asm_loop
        .type zstdfix_huf_asm_loop, @function
zstdfix_huf_asm_loop:
        movl $1, %eax
        ret
        .size zstdfix_huf_asm_loop, .-zstdfix_huf_asm_loop
#endif
#if defined(__ELF__)
        .section .note.GNU-stack,"",%progbits
#endif
