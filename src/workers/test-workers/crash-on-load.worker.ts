// Test-only worker script that throws while loading, before it exposes anything.
throw new Error('simulated crash while loading the worker script');
