import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import regexp from 'eslint-plugin-regexp';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
	{ ignores: ['build/', '.svelte-kit/', 'node_modules/', 'test-results/', 'playwright-report/'] },
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	prettier,
	...svelte.configs.prettier,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } },
		rules: {
			'no-undef': 'off',
			// The portal is served at the root (no paths.base): plain French hrefs are the URLs.
			'svelte/no-navigation-without-resolve': 'off'
		}
	},
	{
		// A regular expression whose time grows with the square of its input (or worse) lets one request
		// hold the server: an address of 200 KB with many dots took 18 s to refuse (ReDoS). The portal's
		// own code, which reads what people send; tests and scripts read what they wrote themselves.
		files: ['src/**/*.{js,ts,svelte}'],
		ignores: ['**/*.spec.ts', '**/testing.ts'],
		plugins: { regexp },
		rules: {
			'regexp/no-super-linear-backtracking': 'error',
			'regexp/no-super-linear-move': 'error'
		}
	},
	{
		// A forgotten `.only` turns the rest of a file into tests that cannot fail, a `.skip` the test
		// itself: neither may reach a commit (Vitest and Playwright also refuse `.only` under CI=true).
		files: ['**/*.spec.ts', 'tests/e2e/**/*.ts'],
		rules: {
			'no-restricted-syntax': [
				'error',
				{
					selector:
						"MemberExpression[property.name=/^(only|skip)$/]:matches([object.name=/^(it|test|describe)$/], [object.property.name='describe'])",
					message: 'Pas de .only ni de .skip dans un test remis : chaque test doit pouvoir échouer.'
				}
			]
		}
	},
	{
		files: ['**/*.ts', '**/*.svelte'],
		languageOptions: {
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		},
		rules: {
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-misused-promises': 'error',
			// `({ key, ...rest }) => rest`: leaving a column out of what a repository returns.
			'@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }]
		}
	}
);
