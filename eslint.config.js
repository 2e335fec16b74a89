// Lint rules, including the one-way layer direction of src/:
// ui -> workers/storage -> engine -> core. A lower layer importing a higher
// one fails the lint step, so core/ stays runnable in plain Node.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

function forbidLayers(layers, extraPackages = []) {
  const patterns = layers.map((layer) => ({
    regex: `(^|/)(src/)?${layer}(/|$)`,
    message: `This layer may not import src/${layer}: imports go ui -> workers/storage -> engine -> core.`,
  }));
  for (const pkg of extraPackages) {
    patterns.push({ regex: `^${pkg.replace('/', '\\/')}(/|$)`, message: `${pkg} is not allowed in this layer.` });
  }
  return { 'no-restricted-imports': ['error', { patterns }] };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'public/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['info', 'warn', 'error'] }],
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...forbidLayers(['cli'], ['@tensorflow/tfjs', '@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-webgpu', '@tensorflow/tfjs-backend-wasm']),
    },
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: forbidLayers(['engine', 'workers', 'storage', 'ui', 'cli'], ['@tensorflow/tfjs', 'idb', 'react', 'd3', 'comlink', 'zustand', 'node:[a-z_]+', 'fs', 'path']),
  },
  {
    files: ['src/core/**/*.test.ts'],
    rules: forbidLayers(['engine', 'workers', 'storage', 'ui', 'cli'], ['@tensorflow/tfjs', 'idb', 'react', 'd3', 'comlink', 'zustand']),
  },
  { files: ['src/engine/**/*.ts'], rules: forbidLayers(['workers', 'storage', 'ui', 'cli'], ['idb', 'react', 'd3', 'zustand']) },
  { files: ['src/workers/**/*.ts'], rules: forbidLayers(['storage', 'ui', 'cli'], ['idb', 'react', 'd3', 'zustand']) },
  { files: ['src/storage/**/*.ts'], rules: forbidLayers(['engine', 'workers', 'ui', 'cli'], ['@tensorflow/tfjs', 'react', 'd3', 'zustand']) },
  { files: ['src/cli/**/*.ts'], rules: forbidLayers(['ui', 'workers'], ['react', 'd3', 'zustand', 'idb']) },
);
