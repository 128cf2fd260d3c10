int sum3(int a, int b, int c) { return a + b + c; }
