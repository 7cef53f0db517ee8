import { defineConfig } from 'vitest/config';

// TypeScript unit tests of the labextension (the browser tests are in tests/ui).
export default defineConfig({
  test: {
    include: ['tests/labextension/**/*.test.ts'],
    environment: 'jsdom'
  }
});
