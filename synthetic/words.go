package synthetic

// The raw word lists. They are constants (split once per run by newVocab), so
// the package holds no mutable state. newVocab filters them so that the name
// classes built from them can never produce the same string (see vocab.go).

// englishWords builds general, meta, copyright and species tags ("long_hair",
// "looking_at_viewer"). Rank order matters a little: the first words become
// the one-word tags of the most popular universe indices.
const englishWords = `
solo smile hair long short breasts looking viewer open mouth blush skirt shirt
simple background white black blue red eyes brown blonde thighhighs gloves
dress hat ribbon bow jacket holding sitting standing lying bangs multiple
girls boys male female full body upper tongue teeth fang sweat tears closed
eye hand hands arms legs feet barefoot shoes boots socks pantyhose sleeves
collar necktie jewelry earrings necklace bracelet ring choker glasses
scarf cape cloak armor helmet sword weapon gun knife shield bag book
phone cup food fruit apple cake bread flower rose petals tree leaf grass
sky cloud sun moon star night day rain snow water sea beach pool river
lake mountain forest city street building room bed window door chair table
desk school uniform serafuku swimsuit bikini kimono maid apron nurse
witch wizard angel demon wings horns halo cat dog fox wolf bird fish
rabbit bear dragon snake horse animal ears tail paws claws fur feathers
scales pointy elf fairy ghost monster robot mecha vehicle car train bicycle
motorcycle airplane ship boat tank aircraft spacecraft planet space galaxy
fire smoke light shadow lens flare sparkle glowing dark bright colorful
monochrome greyscale sketch lineart traditional media watercolor painting
pencil ink marker comic panel speech bubble text english japanese translated
commentary request artist signature watermark dated username logo parody
crossover cosplay official alternate costume hairstyle color outfit
ponytail twintails braid bun ahoge sidelocks hairband hairclip headband
headwear hood mask veil crown tiara bonnet beret cap beanie hairpin
makeup lipstick nail polish tattoo scar bandage eyepatch mole freckles
pale dark skinned tan lines muscular slim petite chubby tall young old
mature adult child elderly pregnant wet dirty torn clothes naked partially
dressed nude covering embarrassed angry sad happy crying laughing
surprised scared shy serious smug expressionless sleepy tired drunk sick
grin frown pout wink heart shaped pupils symbol spoken musical note
question exclamation mark anger vein blank stare empty rolling crazy
from above below behind side front back view profile close dutch angle
perspective foreshortening motion blur depth field chromatic aberration
bloom backlighting sunlight moonlight lamp candle lantern torch neon sign
poster wall floor ceiling stairs railing fence bridge tower castle church
temple shrine torii lamppost vending machine bench park garden field
meadow desert cave ruins underwater ice crystal gem gold silver metal
wood stone glass paper cardboard box basket bottle can jar bowl plate
chopsticks spoon fork knife straw drinking eating cooking reading writing
drawing singing dancing running walking jumping flying swimming sleeping
bathing showering fighting kissing hugging holding hands waving pointing
peace sign thumbs salute clenched fist outstretched arm raised reaching
crossed legs spread kneeling squatting leaning forward bent over arched
stretching yawning looking away down up aside another's shoulder knee
lap hip waist stomach navel chest neck face cheek chin nose lip forehead
eyebrows eyelashes hairline nape armpit elbow wrist finger thumb palm
ankle heel toes sole calf thigh buttocks groin belly cleavage sideboob
underboob midriff bare collarbone backless dress sleeveless strapless
frills lace trim pleated miniskirt long pencil hakama shorts pants jeans
leggings overalls vest sweater hoodie coat trench parka cardigan blouse
camisole tank top crop tube bra panties lingerie garter belt suspenders
corset bodysuit leotard bunny playboy race queen cheerleader idol
singer guitar piano violin drum microphone headphones earphones camera
computer laptop keyboard monitor television controller game console card
playing chess dice coin money wallet key lock chain rope tape string
thread needle scissors hammer axe spear bow arrow quiver staff wand orb
magic circle spell aura energy lightning explosion blood injury death
skeleton skull bone zombie vampire werewolf mermaid centaur lamia
harpy slime girl monster furry anthro kemonomimi animal ears nekomimi
inumimi kitsune tanuki oni yokai youkai sky blue purple green yellow
orange pink grey gray aqua silver gold multicolored gradient streaked
two-tone hair intakes wavy curly straight messy spiked drill
asymmetrical hime cut blunt bob pixie mohawk afro dreadlocks very
absurdly bald shaved head eyewear sunglasses goggles monocle round
rimless semi-rimless under-rim opaque heterochromia slit pupils glowing
constricted ringed no pupils sanpaku tareme tsurime jitome half-closed
one closed wide-eyed narrowed rolled upturned crossed star-shaped
highres absurdres incredibly lowres bad anatomy hands error extra digits
fewer cropped worst quality jpeg artifacts blurry official art promotional
scan screencap game cg animated gif video audio third-party edit revision
variant set character name sheet reference turnaround chibi super deformed
realistic photorealistic 3d render pixel art oekaki flat shading cel
gradient halftone dithering border frame letterboxed pillarboxed
widescreen vertical horizontal tall wide image huge filesize
transparent novel illustration cover manga anime doujinshi fanbook
magazine scan artbook calendar postcard trading figure nendoroid plush
statue dakimakura pillow bedsheet blanket futon tatami sliding shoji
fusuma kotatsu onsen bathhouse sauna locker changing classroom hallway
rooftop gymnasium library laboratory hospital office kitchen bathroom
living balcony veranda porch alley subway station platform bus stop
crosswalk traffic intersection highway parking lot shopping mall cafe
restaurant bar izakaya ramen sushi onigiri bento dango taiyaki mochi
parfait ice cream chocolate candy lollipop cookie donut pancake waffle
pizza hamburger sandwich salad soup curry rice noodles pasta steak
chicken egg omelet tea coffee milk juice soda beer wine sake cocktail
`

// givenNames and surnames build character names ("sakuma_aiko"); the two
// lists are disjoint from englishWords after filtering.
const givenNames = `
aiko akane akari akemi akiko amane anzu aoi asuka ayaka ayame chiaki
chihiro chika chinatsu chizuru emiko eri fumika hana hanako haruka
haruna hikari himari hinata hiromi hitomi honoka hotaru ichika izumi
junko kaede kanade kaori kasumi kazuha keiko kirara kokoro kotone
kurumi madoka maho maki mami mana mao mariko mayu megumi mei mika
minami mio misaki mitsuki miyu mizuki momoka nagisa nanami naoko
natsuki nene nozomi rei reina rika rin rina risa ruri saki sakura
satsuki sayaka shiori shizuka sora sumire suzu tamaki tomoe tsubasa
ume wakana yayoi yoko yui yukari yuki yumi yuna yuzu akira daichi
haruto hayato hiroshi isamu jun kaito kenji kouki makoto masato
minoru naoki ren riku ryota satoshi shin shota sota souta takashi
takeru taro tatsuya tetsuya tomoya yamato yuto yusuke anna alice
clara elena emma grace helena iris julia karina laura lucia marina
nadia olga paula rosa sofia tatiana vera yulia viktor ivan mikhail
`

const surnames = `
abe aoyama arai asano fujii fujita fukuda goto hasegawa hashimoto
hayashi hirano ikeda inoue ishida ishii ito kaneko kato kawaguchi
kimura kobayashi kondo kudo matsuda matsumoto miura miyazaki mori
morita murakami nagano nakagawa nakajima nakamura nishimura noguchi
ogawa okada okamoto ono otsuka saito sakai sakamoto sasaki sato
shimizu suzuki takada takagi takahashi takeda tamura tanaka ueda
uchida wada watanabe yamada yamaguchi yamamoto yamashita yoshida
yoshikawa kirishima hoshino tsukishima amamiya shirogane kurosaki
akagi kagami hiiragi izayoi konpaku saigyouji houraisan kirisame
hakurei kochiya moriya shameimaru reiuji komeiji remilia scarlet
ivanova petrova smirnova volkova sokolova kuznetsova novikova
`

// qualifiers are the disambiguations in "name_(qualifier)". The series are
// for characters, the rest for other tags.
const seriesQualifiers = `
genshin_impact touhou fate/grand_order kancolle azur_lane blue_archive
hololive idolmaster vocaloid pokemon umamusume arknights honkai:_star_rail
girls'_frontline love_live! precure jojo_no_kimyou_na_bouken one_piece
naruto bleach gundam evangelion madoka_magica kono_subarashii_sekai_ni_shukufuku_wo!
nijisanji project_sekai bang_dream! princess_connect! zenless_zone_zero
`

const plainQualifiers = `
cosplay artist object weapon meme style company cosplayer food animal
plant instrument vehicle game manga anime mythology organization concept
`

// syllables build artist handles ("kurenami"): every one is exactly two
// letters, so a handle splits back into syllables in one way only.
const syllables = `
ka ki ku ke ko sa si su se so ta te na ni nu ne no ha hi fu he ho ma mi mu
me mo ya yu yo ra ri ru re ro wa ga gi gu ge go za zu ze zo da de do ba bi
bu be bo pa pi pu pe po ky ny ry my hy
`

// japaneseRunes are the digits of Japanese names and translations (pixiv
// tags, trans_ja, other_names). Single code points only.
const japaneseRunes = `アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン` +
	`ガギグゲゴザジズゼゾダヂヅデドバビブベボパピプペポァィゥェォャュョッー` +
	`あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん` +
	`少女髪長短目赤青白黒金銀猫犬狐狼鳥魚花桜月星空海山川森雨雪風光影水火` +
	`魔法剣士姫王女神天使悪鬼妖精竜艦隊戦車東方物語学園制服眼鏡笑顔涙耳尾翼`

// chineseRunes are simplified-Chinese digits for trans_zh-CN, trans_zh-HK and
// the Chinese entries of p1atdev other_names.
const chineseRunes = `单色调大腿袜长发短发少女微笑开口脸红裙子衬衫简单背景白色黑色蓝色红色眼睛棕色` +
	`金发过膝袜手套连衣裙帽子丝带蝴蝶结夹克拿着坐站躺刘海多个女孩男孩身体上半身` +
	`舌头牙齿汗泪闭眼双手腿脚赤足鞋靴袜裤袖项圈领带首饰耳环项链手镯戒指眼镜围巾`

// cyrillicWords build the Russian tags and trans_ru / tag_ru values.
const cyrillicWords = `
девушка волосы длинные короткие глаза улыбка рот платье юбка рубашка
белый черный синий красный зеленый желтый розовый фон простой один
кошка собака лиса волк птица рыба цветок дерево небо море гора город
школа форма шляпа лента бант перчатки чулки сапоги меч оружие крылья
ангел демон ведьма горничная купальник кимоно очки ночь день дождь снег
`

// latinWords are the other Latin-script translation languages (trans_pt,
// trans_fr, ...); accents are what makes them more than ASCII.
const latinWords = `
cabelo longo menina sorriso olhos vestido saia camisa fundo branco
cheveux fille yeux robe jupe chemise fond blanc noir bleu rouge
capelli lunghi ragazza sorriso occhi vestito gonna camicia sfondo
tóc dài cô gái nụ cười mắt váy áo nền trắng đen xanh đỏ
haare lang mädchen lächeln augen kleid rock hemd hintergrund weiß
pelo largo chica sonrisa ojos vestido falda camisa fondo blanco
ñandú corazón señorita pequeño canción ação coração garçon élève
`

// thaiRunes are the digits of trans_th values.
const thaiRunes = `กขคฆงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรลวศษสหฬอฮะาิีึืุูเแโใไ`

// specials are real, hand-picked tags that no generated class can produce:
// they contain a digit or are kaomoji. They sit at every 97th universe index,
// so a few are very popular and the rest spread down the ranks.
const specials = `
1girl 1boy 2girls 3girls 2boys 4koma ^_^ 1other 4girls 3d :d 6+girls
>_< 0_0 (o_o) 2koma x_x :3 ;d 3_3 ^^^ :o :p 5girls d: ;) =_= ._. ;_;
t_t u_u @_@ (;_;) ^o^ +_+ >:) :< xd -_- o_o (^_^) 1990s_(style)
1980s_(style) 2000s_(style) 00s 90s 10s 100_100 777 7-eleven 69 2021
2022 2023 2024 1koma 8-bit 16-bit 3:
`
