/* Second translation unit of the freestanding fixture, so archives hold more than one member. */
int kiln_mul(int a, int b) { return a * b; }
