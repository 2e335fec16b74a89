// Test-only worker script that closes itself while loading. The page gets no
// event for that, so the pool detects it only through its init timeout.
self.close();
