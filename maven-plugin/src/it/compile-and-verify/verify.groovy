def object = new File(basedir, 'target/classes/bpf/counter.bpf.o')
assert object.isFile()
def log = new File(basedir, 'build.log').text
// build.log holds both invocations: the first compiles, the second finds the object up to date
def first = log.indexOf('bpf4j: compiled 1 of 1 BPF sources')
def second = log.indexOf('bpf4j: compiled 0 of 1 BPF sources')
assert first >= 0 && second > first
assert log.contains('(1 up to date)')
assert log.contains('bpf4j: verified 1 programs in 1 objects: 1 accepted, 0 rejected')
def csv = new File(basedir, 'target/bpf4j/verify.csv').readLines()
assert csv[1].startsWith('bpf/counter.bpf.o,count_packets,success,')
true
