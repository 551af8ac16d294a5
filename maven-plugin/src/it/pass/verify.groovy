// the build passed; the log counts the programs; veristat's CSV and the JSON report list each program
def log = new File(basedir, 'build.log').text
assert log.contains('bpf4j: verified 4 programs in 2 objects: 4 accepted, 0 rejected')
def csv = new File(basedir, 'target/bpf4j/verify.csv').readLines()
assert csv[0] == 'file_name,prog_name,verdict,duration,total_insns,total_states,peak_states,max_states_per_insn,max_mark_read_len'
assert csv.size() == 5
assert csv.drop(1).every { it.split(',')[2] == 'success' }
assert csv[1].startsWith('alu.v3.el.o,alu_')
assert csv.any { it.startsWith('minimal.v3.el.o,xdp_pass,success,') }
def json = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/bpf4j/verify.json'))
assert json.size() == 4
assert json.every { it.verdict == 'success' && it.error == null && it.prog_type != null }
assert json.find { it.prog_name == 'xdp_drop' }.file_name == 'minimal.v3.el.o'
true
