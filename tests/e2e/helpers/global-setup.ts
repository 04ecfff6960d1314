import { rmSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { E2E_DATABASE, E2E_TEMPLATE } from '../../../playwright.config';
import { createTestAccounts } from './accounts';

/**
 * Runs once per run, after the web server has built the portal and seeded its database: creates
 * the test accounts there, then keeps a copy of that database, which every spec using
 * helpers/portal.ts starts its own server on.
 */
export default function globalSetup(): void {
	createTestAccounts(E2E_DATABASE);
	rmSync(E2E_TEMPLATE, { force: true });
	const sqlite = new SQLite(E2E_DATABASE, { readonly: true });
	try {
		sqlite.prepare('VACUUM INTO ?').run(E2E_TEMPLATE);
	} finally {
		sqlite.close();
	}
}
