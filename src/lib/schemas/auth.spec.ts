import { describe, expect, it } from 'vitest';
import { NewAccountSchema } from './auth';

const account = {
	email: 'camille@lot.test',
	name: 'Camille',
	role: 'commission',
	organisation: ''
};

describe('NewAccountSchema', () => {
	it('names the valid roles when the role is unknown', () => {
		const parsed = NewAccountSchema.safeParse({ ...account, role: 'administrateur' });
		expect(parsed.error?.issues[0]?.message).toBe(
			'Choisissez un rôle parmi : admin, commission, partenaire.'
		);
	});
	it('refuses an organisation for an account that is not a partner', () => {
		const parsed = NewAccountSchema.safeParse({ ...account, organisation: 'cdg46' });
		expect(parsed.error?.issues[0]).toMatchObject({
			path: ['organisation'],
			message: expect.stringContaining('Seul un compte partenaire appartient à une organisation')
		});
		expect(NewAccountSchema.safeParse(account).success).toBe(true);
	});
});
