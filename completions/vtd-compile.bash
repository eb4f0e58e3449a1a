# SPDX-License-Identifier: GPL-2.0-or-later
# bash completion for vtd-compile (vtdkit): the arguments' vocabulary, over
# the shared engine (vtd-complete.bash, which make puts in front of this).
#   vtd-compile [OPTIONS] LAYOUT [-o FILE]...
#   vtd-compile [OPTIONS] -d IMAGE[@BASE] --rtaddr N
# shellcheck disable=SC2207

_vtd_compile_arg()
{
	local profiles

	case $1 in
	-F | --format) COMPREPLY=($(compgen -W "bin c elf map" -- "$2")) ;;
	--faults) COMPREPLY=($(compgen -W "spec qemu" -- "$2")) ;;
	--profile)
		# The tool's own list; the built-in names if it cannot be asked.
		profiles=$("$prog" --list-profiles 2>/dev/null | awk '{ print $1 }')
		COMPREPLY=($(compgen -W "${profiles:-qemu qemu-sm client server}" -- "$2"))
		;;
	*) _vtd_complete_file "$1" "$2" ;;	# files, and the IMAGE of -d IMAGE@BASE
	esac
}

# The layout: JSON files, and directories on the way to them.
_vtd_compile_operand()
{
	compopt -o filenames 2>/dev/null
	local IFS=$'\n'
	COMPREPLY=($(compgen -f -X '!*.json' -- "$cur") $(compgen -d -- "$cur"))
}

_vtd_compile() { _vtd_complete vtd-compile; }
complete -F _vtd_compile vtd-compile
