"""The three ctxh services. Each is self-contained and reaches the others only over HTTP."""
