import { hash } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import {
	charactersBeyondContext,
	checkPasswordPolicy,
	hashPassword,
	verifyPassword
} from './password';
import { passwordContext } from './password';

const claire = passwordContext({ email: 'claire.martin@cdg46.fr', name: 'Claire Martin' });

describe('password policy and the person’s context', () => {
	it.each([
		'claire.martin.lot.numerique',
		'Martin-Claire-Cahors',
		'clairemartin2024!',
		'cdg46.claire.martin',
		'Numérique Lot Claire 19'
	])(
		'refuses « %s », built mostly from Claire Martin’s names, address and the portal’s words',
		(password) => {
			expect(checkPasswordPolicy(password, claire)).toContain('trop facile à deviner');
		}
	);

	it('accepts a passphrase that merely mentions a name', () => {
		expect(checkPasswordPolicy('le chat de claire dort sur la terrasse', claire)).toBeNull();
		expect(checkPasswordPolicy('pomme verte, ciel gris et vent d’autan', claire)).toBeNull();
	});

	it.each([
		'azertyuiopqsdf',
		'qwertyuiopasdf',
		'abcdefghijkl',
		'0987654321ab',
		'jetaimejetaime',
		'motdepassemotdepasse',
		'iloveyouiloveyou',
		'abc123abc123',
		'Soleil!Soleil!Soleil!'
	])(
		'refuses « %s », a keyboard row, a run or a word said again to reach the length',
		(password) => {
			expect(checkPasswordPolicy(password)).toContain('trop facile à deviner');
		}
	);

	it('counts what is left once the context words are taken out', () => {
		expect(charactersBeyondContext('claire.martin.lot.numerique', claire)).toBe(0);
		expect(charactersBeyondContext('claire-et-ses-cinq-chevaux', claire)).toBe(
			'etsescinqchevaux'.length
		);
	});
});

describe('a password typed composed or not (NFC, NFD)', () => {
	const composedForm = 'Café crème au lait du matin'.normalize('NFC');
	const decomposedForm = composedForm.normalize('NFD');

	it('opens the account whichever form the keyboard sent', async () => {
		expect(decomposedForm).not.toBe(composedForm);
		const stored = await hashPassword(decomposedForm);
		expect(await verifyPassword(stored, composedForm)).toBe(true);
		expect(await verifyPassword(stored, decomposedForm)).toBe(true);
		expect(await verifyPassword(stored, 'Cafe creme au lait du matin')).toBe(false);
	});

	it('still opens an account whose hash was written from a decomposed password', async () => {
		const stored = await hash(decomposedForm);
		expect(await verifyPassword(stored, decomposedForm)).toBe(true);
	});
});

describe('password hashing, one hash at a time', () => {
	it('answers every verification of a burst correctly, a malformed hash among them', async () => {
		const hash = await hashPassword('une phrase de passe pour le banc');
		const answers = await Promise.all([
			verifyPassword(hash, 'une phrase de passe pour le banc'),
			verifyPassword('pas un hachage', 'une phrase de passe pour le banc'),
			verifyPassword(hash, 'mauvaise phrase de passe'),
			verifyPassword(hash, 'une phrase de passe pour le banc')
		]);
		expect(answers).toEqual([true, false, false, true]);
	});
});
