-- expect: error "'package' is not available in hooks"
package.loadlib('libc.so.6', 'system')
