export const ORGANISATION_KINDS = [
	'syndicat_mixte',
	'departement',
	'region',
	'state',
	'epci',
	'commune',
	'public_body',
	'association',
	'chamber',
	'company',
	'training',
	'fund'
] as const;

export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export const ORGANISATION_KIND_LABELS: Record<OrganisationKind, string> = {
	syndicat_mixte: 'Syndicat mixte',
	departement: 'Département',
	region: 'Région',
	state: 'État et services de l’État',
	epci: 'Intercommunalité (EPCI)',
	commune: 'Communes',
	public_body: 'Établissement ou organisme public',
	association: 'Association ou réseau',
	chamber: 'Chambre consulaire',
	company: 'Entreprises',
	training: 'Formation',
	fund: 'Fonds de financement'
};
