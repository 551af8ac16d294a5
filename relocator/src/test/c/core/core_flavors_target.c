/* Target BTF for core_flavors, core_ambiguous and core_decision: several flavors per name. */
struct flav {
	int x;
	int y;
};

struct flav___b {
	int pad0;
	int pad1;
	int y;
};

struct flav2 {
	int x;
	int y;
};

struct flav2___b {
	int pad0;
	int pad1;
	int y;
};

struct agree {
	int z;
	int w;
};

struct agree___two {
	int z;
	long other;
};

enum color {
	RED = 5,
	GREEN = 6,
};

enum color___v2 {
	RED___v2 = 5,
	GREEN___v2 = 6,
	BLUE___v2 = 9,
};

enum wide {
	WIDE_B = 0x100000000ULL,
	WIDE_A = 1,
};

struct amb {
	int x;
	int y;
};

struct amb___2 {
	int y;
};

struct dec {
	int v;
};

struct dec___2 {
	long v;
};

int use_flavors(struct flav *a, struct flav___b *b, struct agree *c, struct agree___two *d)
{
	return 0;
}

int use_flav2(struct flav2 *a, struct flav2___b *b)
{
	return 0;
}

int use_enums(enum color e, enum color___v2 f, enum wide g)
{
	return 0;
}

int use_ambiguous(struct amb *h, struct amb___2 *i, struct dec *j, struct dec___2 *k)
{
	return 0;
}
