/* Prints what libbpf_prog_type_by_name() says for each section name read from stdin:
 * "<name>\t<prog type>\t<expected attach type>", or "<name>\t-\t-" when libbpf has no entry. */
#include <bpf/libbpf.h>
#include <stdio.h>
#include <string.h>

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

int main(void)
{
	char line[512];
	libbpf_set_print(quiet);
	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = 0;
		enum bpf_prog_type type;
		enum bpf_attach_type attach;
		if (libbpf_prog_type_by_name(line, &type, &attach))
			printf("%s\t-\t-\n", line);
		else
			printf("%s\t%d\t%d\n", line, type, attach);
	}
	return 0;
}
