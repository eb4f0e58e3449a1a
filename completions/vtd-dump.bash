# SPDX-License-Identifier: GPL-2.0-or-later
# bash completion for vtd-dump (vtdkit): the arguments' vocabulary, over the
# shared engine (vtd-complete.bash, which make puts in front of this).
#   vtd-dump [OPTIONS] [SOURCE]    SOURCE: image:FILE@BASE, elf:FILE, kdump:FILE,
#                                  devmem:, kcore:, or a file
# shellcheck disable=SC2207

_vtd_dump_arg()
{
	local profiles

	case $1 in
	--profile)
		# vtd-compile's list; the built-in names if it cannot be asked.
		profiles=$(vtd-compile --list-profiles 2>/dev/null | awk '{ print $1 }')
		COMPREPLY=($(compgen -W "${profiles:-qemu qemu-sm client server}" -- "$2"))
		;;
	*) _vtd_complete_file "$1" "$2" ;;
	esac
}

_vtd_dump_operand()
{
	compopt -o filenames 2>/dev/null
	if [[ $cur == *:* ]]; then
		# A memory source: its backend, then a file.
		local IFS=$'\n'
		COMPREPLY=($(compgen -P "${cur%%:*}:" -f -- "${cur#*:}"))
	else
		# The memory source: a backend, or a file (a raw image at 0).
		COMPREPLY=($(compgen -W "image: elf: kdump: devmem: kcore:" -- "$cur"))
		# "kcore:" is a word of its own; "image:" wants its file right after.
		((${#COMPREPLY[@]})) && compopt -o nospace 2>/dev/null
		local IFS=$'\n'
		COMPREPLY+=($(compgen -f -- "$cur"))
	fi
}

_vtd_dump() { _vtd_complete vtd-dump; }
complete -F _vtd_dump vtd-dump
