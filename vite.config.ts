import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		include: ['src/**/*.spec.ts', 'scripts/**/*.spec.ts', 'migrations/**/*.spec.ts'],
		environment: 'node',
		expect: { requireAssertions: true },
		pool: 'forks',
		// The operations log (pino) stays quiet in unit tests; tests that read it spy on it.
		env: { LOG_LEVEL: 'silent' }
	}
});
