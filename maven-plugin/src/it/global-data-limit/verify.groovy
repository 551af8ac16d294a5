def log = new File(basedir, 'build.log').text
assert log.contains("brings the object's global data to")
assert log.contains('over the limit of 8 bytes')
assert log.contains('BUILD FAILURE')
true
