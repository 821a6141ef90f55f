package builder

// Timestamps are most of a site's distinct strings (created_at and
// updated_at to the microsecond, millions of them in a full build), so the
// merge state keeps the usual shapes packed into 64 bits instead of as text:
//
//	YYYY-MM-DD HH:MM:SS[.fff|.ffffff][Z|±HH:MM]   (or T between date and time)
//
// for 1900 ≤ year ≤ 2171 and offsets in quarter hours up to 14 hours. Any
// other text, or text that would not come back byte for byte (a 30th of
// February, a second 60), is interned and the code holds its index. The text
// the output gets is always exactly the text the source had.
//
// Layout: bit 63 the separator (0 ' ', 1 'T'); bits 62-61 the fraction (0
// none, 1 milliseconds, 2 microseconds, 3 not packed); bits 60-28 seconds since
// 1900-01-01 plus one (0 only for NULL); bits 27-8 the fraction's value; bits
// 7-6 the zone (0 none, 1 Z, 2 +, 3 -); bits 5-0 the offset in quarter hours.
// Not packed: bits 62-61 are 3 and the low 32 bits are the interned index + 1.

const (
	tcFracShift = 61
	tcSecShift  = 28
	tcValShift  = 8
	tcZoneShift = 6
	tcInterned  = uint64(3) << tcFracShift
	tcMaxSecs   = 1<<33 - 2
)

// daysFromCivil counts days since 1970-01-01 (Howard Hinnant's algorithm).
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func civilFromDays(z int64) (y, m, d int64) {
	z += 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

var epoch1900 = daysFromCivil(1900, 1, 1)

// digits reads s[i:j] as a decimal number; ok is false on any non-digit.
func digits(s string, i, j int) (int64, bool) {
	var n int64
	for k := i; k < j; k++ {
		c := s[k]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// packTime returns the 64-bit code of s when s has a packable shape and
// comes back unchanged from it.
func packTime(s string) (uint64, bool) {
	if len(s) < 19 || s[4] != '-' || s[7] != '-' || (s[10] != ' ' && s[10] != 'T') || s[13] != ':' || s[16] != ':' {
		return 0, false
	}
	y, ok1 := digits(s, 0, 4)
	mo, ok2 := digits(s, 5, 7)
	d, ok3 := digits(s, 8, 10)
	h, ok4 := digits(s, 11, 13)
	mi, ok5 := digits(s, 14, 16)
	se, ok6 := digits(s, 17, 19)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59 {
		return 0, false
	}
	secs := (daysFromCivil(y, mo, d)-epoch1900)*86400 + h*3600 + mi*60 + se
	if secs < 0 || secs > tcMaxSecs {
		return 0, false
	}
	var code uint64
	if s[10] == 'T' {
		code |= 1 << 63
	}
	code |= uint64(secs+1) << tcSecShift
	rest := s[19:]
	if len(rest) > 0 && rest[0] == '.' {
		n := 0
		for n+1 < len(rest) && rest[n+1] >= '0' && rest[n+1] <= '9' {
			n++
		}
		v, _ := digits(rest, 1, 1+n)
		switch n {
		case 3:
			code |= 1 << tcFracShift
		case 6:
			code |= 2 << tcFracShift
		default:
			return 0, false
		}
		code |= uint64(v) << tcValShift
		rest = rest[1+n:]
	}
	switch {
	case rest == "":
	case rest == "Z":
		code |= 1 << tcZoneShift
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, ok1 := digits(rest, 1, 3)
		om, ok2 := digits(rest, 4, 6)
		if !ok1 || !ok2 || oh > 14 || om%15 != 0 || om > 45 {
			return 0, false
		}
		zone := uint64(2)
		if rest[0] == '-' {
			zone = 3
		}
		code |= zone<<tcZoneShift | uint64(oh*4+om/15)
	default:
		return 0, false
	}
	return code, unpackTime(code) == s
}

// unpackTime returns the text of a packed code.
func unpackTime(code uint64) string {
	secs := int64(code>>tcSecShift&(1<<33-1)) - 1
	days, rem := secs/86400, secs%86400
	y, mo, d := civilFromDays(days + epoch1900)
	b := make([]byte, 0, 32)
	put := func(v int64, width int) {
		var tmp [4]byte
		for i := width - 1; i >= 0; i-- {
			tmp[i] = byte('0' + v%10)
			v /= 10
		}
		b = append(b, tmp[:width]...)
	}
	put(y, 4)
	b = append(b, '-')
	put(mo, 2)
	b = append(b, '-')
	put(d, 2)
	if code>>63 == 1 {
		b = append(b, 'T')
	} else {
		b = append(b, ' ')
	}
	put(rem/3600, 2)
	b = append(b, ':')
	put(rem/60%60, 2)
	b = append(b, ':')
	put(rem%60, 2)
	val := int64(code >> tcValShift & (1<<20 - 1))
	switch code >> tcFracShift & 3 {
	case 1:
		b = append(b, '.')
		put(val, 3)
	case 2:
		b = append(b, '.')
		put(val/1000, 3)
		put(val%1000, 3)
	}
	switch code >> tcZoneShift & 3 {
	case 1:
		b = append(b, 'Z')
	case 2, 3:
		if code>>tcZoneShift&3 == 2 {
			b = append(b, '+')
		} else {
			b = append(b, '-')
		}
		q := int64(code & 63)
		put(q/4, 2)
		b = append(b, ':')
		put(q%4*15, 2)
	}
	return string(b)
}
