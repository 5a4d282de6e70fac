# Problems in the office's YAML files (season, sites), after the path: «ideas[3].capacity.students: …».
file-whole = (файл)
file-invalid = недопустимое значение
file-not-yaml = файл не читается как YAML
file-not-yaml-at = строка { $line }, столбец { $column }: файл не читается как YAML
file-required = обязательное поле
file-unknown-key = неизвестный ключ
file-mapping = ожидается словарь (ключ: значение)
file-list = ожидается список
file-list-empty = список не может быть пустым
file-integer = ожидается целое число
file-number = ожидается число
file-bool = ожидается true или false
file-text = ожидается текст
file-date = ожидается дата вида 2026-09-01 или 2026-09-01 10:00
file-datetime = ожидаются дата и время вида 2026-09-01 10:00
file-too-long = не длиннее { $max_length } { $max_length ->
        [one] символа
       *[other] символов
    }
file-greater-than = должно быть больше { $gt }
file-at-least = должно быть не меньше { $ge }
file-at-most = должно быть не больше { $le }
file-one-of = допустимые значения: { $expected }
file-code = только строчные латинские буквы, цифры, «_» и «-»
file-question-code = только строчные латинские буквы, цифры и «_»
file-site-code = только латинские буквы, цифры, «_» и «-», до 64 символов
file-unknown-zone = неизвестный часовой пояс IANA «{ $name }»
file-window-empty = приём заявок должен закрываться позже, чем открывается
file-less-than-min = не может быть меньше минимума ({ $min })
file-text-questions-only = допустимо только для текстовых вопросов
file-duplicate-municipality = муниципалитет «{ $value }» повторяется (уже есть в { $first })
file-duplicate-code = код «{ $value }» повторяется (уже есть в { $first })
file-unknown-direction = нет направления с кодом «{ $value }» в directions
file-consent-changed = текст отличается от уже загруженного под редакцией «{ $version }»; дайте изменённому тексту новую редакцию
file-season-unknown = набор не найден
file-end-before-start = окончание должно быть позже начала
file-slot-repeated = такой слот (вид и начало) уже есть выше
file-site-code-repeated = код площадки «{ $value }» повторяется
