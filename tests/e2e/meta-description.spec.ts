import { expect, test } from './helpers/portal';

const PUBLIC_PAGES = [
	'/',
	'/fiches',
	'/fiches/14-1',
	'/fiches/13-1',
	'/fiches/14-1/historique/2018',
	'/historique',
	'/organisations',
	'/organisations/cdg46',
	'/tableau-de-bord',
	'/bilans',
	'/bilans/2018',
	'/bilans/2018/impression',
	'/bilans/2018/fiches/17-1',
	'/commission',
	'/commission/priorites',
	'/donnees',
	'/mentions-legales',
	'/donnees-personnelles',
	'/accessibilite',
	'/connexion'
];

test('every public page has a description of its own', async ({ request }) => {
	const seen = new Map<string, string>();
	for (const path of PUBLIC_PAGES) {
		const html = await (await request.get(path)).text();
		const metas = html.match(/<meta name="description" content="([^"]*)"/g) ?? [];
		expect(metas, path).toHaveLength(1);
		const content = /content="([^"]*)"/.exec(metas[0]!)![1]!;
		expect(content.length, path).toBeGreaterThan(50);
		expect(
			seen.get(content),
			`${path} reprend la description de ${seen.get(content)}`
		).toBeUndefined();
		seen.set(content, path);
	}
	// A fiche's: its code, title and status.
	const fiche = await (await request.get('/fiches/14-1')).text();
	expect(fiche).toMatch(
		/<meta name="description" content="Fiche-action 14-1 du SDUSN du Lot : Équipement d’un wifi territorial dans chaque commune\. Priorité 1, statut : en cours\."/
	);
	// A closed sitting's record too.
	// The seeded sitting of 1 February 2019 (other tests add sittings before or after it).
	const list = await (await request.get('/commission')).text();
	const sitting = /\/commission\/seances\/\d+(?="\s*>Séance du 1er\sfévrier\s2019)/.exec(list)![0];
	expect(await (await request.get(sitting)).text()).toMatch(
		/<meta name="description" content="Relevé de décisions de la commission des usages numériques du 1er\sfévrier\s2019/
	);
});
