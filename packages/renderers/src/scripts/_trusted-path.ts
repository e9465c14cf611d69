/**
 * `trusted_path PATH`: prints the resolved PATH when it, and every folder above it, belongs
 * to root or to the user running the script and nobody else can write to it (a root-owned
 * folder with the sticky bit, such as /tmp, is fine: others cannot replace what is in it).
 * Otherwise it explains what is wrong and fails.
 *
 * Why: the deploy script runs as root and executes the gateway's scripts and writes the
 * gateway's nginx include. Whoever can write to one of those files or folders would decide
 * what root runs next, so an untrusted path is refused, and the script then runs the
 * resolved path it checked (a symlink swapped later cannot redirect it).
 */
export const TRUSTED_PATH = `# trusted_path PATH: the resolved PATH, only if root or this user owns it and every folder
# above it and nobody else can write to them (root-owned sticky folders such as /tmp excepted).
trusted_path() {
  local path owner perms
  path="$(realpath -e -- "$1" 2>/dev/null)" || {
    log "$1 does not exist"
    return 1
  }
  local current="$path"
  while :; do
    owner="$(stat -c %u -- "$current")"
    perms="$(stat -c %a -- "$current")"
    if [[ "$owner" != 0 && "$owner" != "$EUID" ]]; then
      log "$current belongs to UID $owner, not to root or to UID $EUID who runs this script: whoever owns it decides what runs here"
      return 1
    fi
    if (((8#$perms & 8#022) != 0)) && ! [[ -d "$current" && "$owner" == 0 && $((8#$perms & 8#1000)) != 0 ]]; then
      log "$current is writable by other users (mode $perms): chmod go-w $current"
      return 1
    fi
    [[ "$current" == / ]] && break
    current="$(dirname -- "$current")"
  done
  printf '%s\\n' "$path"
}
`
