# Test input for io.bpf4j.isa.text.ObjdumpListingTest: which label llvm-objdump prints when
# several symbols share an address, local basic-block labels as jump targets, a code section
# with no symbol at its start, relocations, a zero run and a section ending mid-instruction,
# relocations on an undecodable word and inside a data object (not printed).
	.text
	.globl	zeta
	.type	zeta,@function
	.globl	alpha
	.type	alpha,@function
	.type	zz_obj,@object
zeta:
alpha:
zz_obj:
	r1 = 0x0 ll
	if r1 == 0x0 goto LBB0_3
	r0 = 0x1
	goto LBB0_4
LBB0_3:
	r0 = 0x2
LBB0_4:
	call helper_sym
	exit
	.quad 0
	.quad 0
	.byte 0x18, 0x01, 0, 0, 0, 0, 0, 0
	.byte 0x95, 0, 0

	.section	other,"ax",@progbits
	r0 = 0x0
nolabel_start:
	.type	nolabel_start,@function
	r2 = r1
	if r2 > 0x5 goto nolabel_start
	goto -0x10
	exit
	.type	table,@object
table:
	.quad	0x4142434445464748
	.byte	0x30, 0x31, 0x0a

	.section	tables,"ax",@progbits
	.type	f,@function
f:
	r0 = 0
	.quad	ext_sym
	exit
	.type	tbl,@object
tbl:
	.quad	ext_sym
	.type	g,@function
g:
	r1 = 0
	exit
