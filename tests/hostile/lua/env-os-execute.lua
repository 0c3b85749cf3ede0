-- expect: error "'os' is not available in hooks"
os.execute('touch /tmp/mmec-pwned')
