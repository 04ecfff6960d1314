import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		include: ['src/**/*.spec.ts', 'scripts/**/*.spec.ts', 'migrations/**/*.spec.ts'],
		environment: 'node',
		expect: { requireAssertions: true },
		pool: 'forks'
	}
});
