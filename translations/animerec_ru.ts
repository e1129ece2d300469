<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>ExploreCommand</name>
    <message>
        <source>error: %1</source>
        <translation>ошибка: %1</translation>
    </message>
    <message>
        <source>give either --user ID or --history LIST</source>
        <translation>укажите либо --user ID, либо --history СПИСОК</translation>
    </message>
    <message>
        <source>which anime? (--anime ID|TITLE)</source>
        <translation>какое аниме? (--anime ID|НАЗВАНИЕ)</translation>
    </message>
    <message>
        <source>usage: show anime ID|TITLE  or  show user ID</source>
        <translation>использование: show anime ID|НАЗВАНИЕ  или  show user ID</translation>
    </message>
    <message>
        <source>unknown command &apos;%1&apos; (%2)</source>
        <translation>неизвестная команда &apos;%1&apos; (%2)</translation>
    </message>
    <message>
        <source>commands (the same as `animerec &lt;command&gt;`; titles may be quoted, any case, a prefix):
  recommend --user ID [--model all|popularity|content|collaborative|session] [--top-n N]
  recommend --history ID|TITLE,...      an anonymous session, oldest first
  similar ID|TITLE                      neighbours by content, collaborative, session
  top [--genre G] [--by members|rating|interactions] [--top-n N]
  show anime ID|TITLE                   catalogue facts, who lists it, ratings
  show user ID [--history-limit N]      counts, favourite genres, history
  models                                which model answers each family, and why
  help, quit (or Ctrl-D)
every command takes --json; Tab completes commands, options, genres and titles
</source>
        <translation>команды (те же, что `animerec &lt;команда&gt;`; названия можно брать в кавычки, в любом регистре, по началу):
  recommend --user ID [--model all|popularity|content|collaborative|session] [--top-n N]
  recommend --history ID|НАЗВАНИЕ,...   анонимная сессия, от ранних к поздним
  similar ID|НАЗВАНИЕ                   соседи по содержанию, коллаборативные, сессионные
  top [--genre ЖАНР] [--by members|rating|interactions] [--top-n N]
  show anime ID|НАЗВАНИЕ                факты каталога, кто смотрит, оценки
  show user ID [--history-limit N]      счётчики, любимые жанры, история
  models                                какая модель отвечает за каждое семейство и почему
  help, quit (или Ctrl-D)
любая команда принимает --json; Tab дополняет команды, опции, жанры и названия
</translation>
    </message>
    <message>
        <source>AnimeRec explorer: %1, models from %2 (loaded in %3 ms). Type help, Tab to complete, Ctrl-D to leave.</source>
        <translation>Обозреватель AnimeRec: %1, модели из %2 (загружены за %3 мс). Введите help, Tab — дополнение, Ctrl-D — выход.</translation>
    </message>
    <message>
        <source>error: this session is open on %1; start another `animerec explore --db ...` for another database</source>
        <translation>ошибка: сессия открыта на %1; для другой базы запустите ещё один `animerec explore --db ...`</translation>
    </message>
    <message>
        <source>no models directory %1 (run `animerec train`)</source>
        <translation>нет каталога моделей %1 (запустите `animerec train`)</translation>
    </message>
    <message>
        <source>no model</source>
        <translation>модели нет</translation>
    </message>
    <message>
        <source>quality gate, %1: %2</source>
        <translation>контроль качества, %1: %2</translation>
    </message>
</context>
<context>
    <name>Explorer</name>
    <message>
        <source>%1 more</source>
        <translation>ещё %1</translation>
    </message>
    <message>
        <source>no anime matches &apos;%1&apos;</source>
        <translation>нет аниме, подходящего под &apos;%1&apos;</translation>
    </message>
    <message>
        <source>no anime matches &apos;%1&apos;; did you mean: %2?</source>
        <translation>нет аниме, подходящего под &apos;%1&apos;; возможно, вы имели в виду: %2?</translation>
    </message>
    <message>
        <source>&apos;%1&apos; matches %2 titles; did you mean: %3?</source>
        <translation>&apos;%1&apos; подходит к %2 названиям; возможно, вы имели в виду: %3?</translation>
    </message>
    <message>
        <source>unknown model &apos;%1&apos; (one of %2)</source>
        <translation>неизвестная модель &apos;%1&apos; (одна из %2)</translation>
    </message>
    <message>
        <source>unknown measure &apos;%1&apos; (one of %2)</source>
        <translation>неизвестная мера &apos;%1&apos; (одна из %2)</translation>
    </message>
    <message>
        <source>unknown genre &apos;%1&apos; (known: %2)</source>
        <translation>неизвестный жанр &apos;%1&apos; (известные: %2)</translation>
    </message>
    <message>
        <source>user %1 is not in the data (%2 users, ids %3..%4)</source>
        <translation>пользователя %1 нет в данных (%2 пользователей, id %3..%4)</translation>
    </message>
    <message>
        <source>%1: no model (answers fall back to popularity)</source>
        <translation>%1: модели нет (ответы — по популярности)</translation>
    </message>
</context>
<context>
    <name>ExplorerText</name>
    <message>
        <source>listed</source>
        <translation>в списке</translation>
    </message>
    <message>
        <source>watching</source>
        <translation>смотрит</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>просмотрено</translation>
    </message>
    <message>
        <source>on hold</source>
        <translation>отложено</translation>
    </message>
    <message>
        <source>dropped</source>
        <translation>брошено</translation>
    </message>
    <message>
        <source>plan to watch</source>
        <translation>в планах</translation>
    </message>
    <message>
        <source>User %1%2</source>
        <translation>Пользователь %1%2</translation>
    </message>
    <message>
        <source> (not in the data: cold start)</source>
        <translation> (нет в данных: холодный старт)</translation>
    </message>
    <message>
        <source>Session [%1]</source>
        <translation>Сессия [%1]</translation>
    </message>
    <message>
        <source>   * = in two or more lists
</source>
        <translation>   * = в двух и более списках
</translation>
    </message>
    <message>
        <source>strategies:
</source>
        <translation>стратегии:
</translation>
    </message>
    <message>
        <source>because you watched:
</source>
        <translation>потому что вы смотрели:
</translation>
    </message>
    <message>
        <source>Like %1</source>
        <translation>Похожее на %1</translation>
    </message>
    <message>
        <source>Top by %1%2</source>
        <translation>Топ по %1%2</translation>
    </message>
    <message>
        <source> in </source>
        <translation> в жанре </translation>
    </message>
    <message>
        <source>title</source>
        <translation>название</translation>
    </message>
    <message>
        <source>members</source>
        <translation>участники</translation>
    </message>
    <message>
        <source>rating</source>
        <translation>оценка</translation>
    </message>
    <message>
        <source>genre</source>
        <translation>жанр</translation>
    </message>
    <message>
        <source>  genres    %1
  type      %2
  episodes  %3
  rating    %4 (MyAnimeList)
  members   %5
</source>
        <translation>  жанры     %1
  тип       %2
  эпизоды   %3
  оценка    %4 (MyAnimeList)
  участники %5
</translation>
    </message>
    <message>
        <source>  in this data: listed by %1 users (%2); %3 rated it, mean %4
</source>
        <translation>  в этих данных: в списках у %1 пользователей (%2); оценили %3, средняя %4
</translation>
    </message>
    <message>
        <source>none</source>
        <translation>никого</translation>
    </message>
    <message>
        <source>User %1</source>
        <translation>Пользователь %1</translation>
    </message>
    <message>
        <source>  %1 titles (%2); %3 rated, mean %4
  favourite genres: %5
</source>
        <translation>  %1 названий (%2); оценено %3, средняя %4
  любимые жанры: %5
</translation>
    </message>
    <message>
        <source>  history, oldest first (the last %1; order = file position or time):
</source>
        <translation>  история, от ранних к поздним (последние %1; порядок = позиция в файле или время):
</translation>
    </message>
    <message>
        <source>weighted</source>
        <translation>взвеш.</translation>
    </message>
    <message>
        <source>lists</source>
        <translation>списков</translation>
    </message>
    <message>
        <source>title (id)</source>
        <translation>название (id)</translation>
    </message>
    <message>
        <source>status</source>
        <translation>статус</translation>
    </message>
    <message>
        <source>order / time</source>
        <translation>порядок / время</translation>
    </message>
</context>
<context>
    <name>MetricCharts</name>
    <message>
        <source>Accuracy</source>
        <translation>Точность</translation>
    </message>
    <message>
        <source>Coverage and diversity</source>
        <translation>Покрытие и разнообразие</translation>
    </message>
    <message>
        <source>Novelty (bits)</source>
        <translation>Новизна (биты)</translation>
    </message>
    <message>
        <source>metric at K = %1</source>
        <translation>метрика при K = %1</translation>
    </message>
    <message>
        <source>bits</source>
        <translation>биты</translation>
    </message>
    <message>
        <source>mean over users (95% CI)</source>
        <translation>среднее (95% ДИ)</translation>
    </message>
    <message>
        <source>K (list length)</source>
        <translation>K (длина списка)</translation>
    </message>
    <message>
        <source>items by train popularity (rank, log scale)</source>
        <translation>ранг популярности в обучении (лог.)</translation>
    </message>
    <message>
        <source>cumulative share</source>
        <translation>накопл. доля</translation>
    </message>
    <message>
        <source>train interactions</source>
        <translation>обучение</translation>
    </message>
    <message>
        <source>model %1</source>
        <translation>модель %1</translation>
    </message>
    <message>
        <source>iteration / epoch</source>
        <translation>итерация / эпоха</translation>
    </message>
    <message>
        <source>training loss (log scale)</source>
        <translation>функция потерь (лог. шкала)</translation>
    </message>
    <message>
        <source>training loss</source>
        <translation>функция потерь</translation>
    </message>
    <message>
        <source>None of these models trains in iterations or epochs.</source>
        <translation>Ни одна из этих моделей не обучается итерациями или эпохами.</translation>
    </message>
    <message>
        <source>Run an evaluation to draw this chart.</source>
        <translation>Запустите оценку, чтобы построить этот график.</translation>
    </message>
</context>
<context>
    <name>ModelFamily</name>
    <message>
        <source>the most popular titles, the same list for everyone</source>
        <translation>самые популярные тайтлы, один список для всех</translation>
    </message>
    <message>
        <source>titles like those the user rated well (genres, type, episodes)</source>
        <translation>тайтлы, похожие на высоко оценённые пользователем (жанры, тип, эпизоды)</translation>
    </message>
    <message>
        <source>implicit ALS matrix factorisation of watch statuses and ratings</source>
        <translation>неявная матричная факторизация ALS по статусам просмотра и оценкам</translation>
    </message>
    <message>
        <source>matrix factorisation of explicit ratings (SGD), chosen by RMSE</source>
        <translation>матричная факторизация явных оценок (SGD), выбор по RMSE</translation>
    </message>
    <message>
        <source>EASE linear item-to-item model, solved in closed form</source>
        <translation>линейная модель EASE «тайтл к тайтлу», решение в замкнутой форме</translation>
    </message>
    <message>
        <source>RP3beta random walk over the user-item graph</source>
        <translation>RP3beta: случайное блуждание по графу пользователей и тайтлов</translation>
    </message>
    <message>
        <source>blend of EASE and RP3beta scores</source>
        <translation>смесь оценок EASE и RP3beta</translation>
    </message>
    <message>
        <source>SASRec self-attention over the recent watching order</source>
        <translation>SASRec: самовнимание по порядку недавних просмотров</translation>
    </message>
    <message>
        <source>content features plus a members and score prior</source>
        <translation>признаки содержания плюс априорная популярность (участники и оценка)</translation>
    </message>
    <message>
        <source>EDLAE: EASE without the zero diagonal, kept off it by dropout</source>
        <translation>EDLAE: EASE без нулевой диагонали, от неё удерживает прореживание</translation>
    </message>
    <message>
        <source>GRU next-item model over the watching order, trained like SASRec</source>
        <translation>GRU-модель следующего тайтла по порядку просмотров, обучается как SASRec</translation>
    </message>
    <message>
        <source>higher-order EASE: EDLAE plus weights of frequent title pairs</source>
        <translation>EASE высшего порядка: EDLAE плюс веса частых пар тайтлов</translation>
    </message>
    <message>
        <source>Mult-VAE: a variational autoencoder over each user&apos;s titles</source>
        <translation>Mult-VAE: вариационный автокодировщик по тайтлам пользователя</translation>
    </message>
    <message>
        <source>infinite-width autoencoder: kernel regression between users</source>
        <translation>автокодировщик бесконечной ширины: ядерная регрессия между пользователями</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>(any)</source>
        <translation>(любой)</translation>
    </message>
    <message>
        <source>Popularity</source>
        <translation>Популярность</translation>
    </message>
    <message>
        <source>Content-based</source>
        <translation>По содержанию</translation>
    </message>
    <message>
        <source>Collaborative</source>
        <translation>Коллаборативная</translation>
    </message>
    <message>
        <source>Session-based</source>
        <translation>Сессионная</translation>
    </message>
    <message>
        <source>session</source>
        <translation>сессия</translation>
    </message>
    <message>
        <source>(cannot open %1: %2)</source>
        <translation>(не удаётся открыть %1: %2)</translation>
    </message>
    <message>
        <source>… %1 more in %2
</source>
        <translation>… ещё %1 в %2
</translation>
    </message>
    <message>
        <source>No ALS model is loaded: train als (Train panel) to map its item factors.</source>
        <translation>Модель ALS не загружена: обучите als (панель «Обучение»), чтобы отобразить её факторы.</translation>
    </message>
    <message>
        <source>No content model is loaded: train content (Train panel) to map its vectors.</source>
        <translation>Контентная модель не загружена: обучите content (панель «Обучение»), чтобы отобразить её векторы.</translation>
    </message>
    <message>
        <source>Similar content</source>
        <translation>Похожее по содержанию</translation>
    </message>
    <message>
        <source>Watched together (collaborative)</source>
        <translation>Смотрят вместе (коллаборативная)</translation>
    </message>
    <message>
        <source>Watched next (session)</source>
        <translation>Смотрят следом (сессионная)</translation>
    </message>
</context>
<context>
    <name>animerec::ui::CatalogView</name>
    <message>
        <source>Search titles…</source>
        <translation>Поиск по названию…</translation>
    </message>
    <message>
        <source>Title:</source>
        <translation>Название:</translation>
    </message>
    <message>
        <source>Genre:</source>
        <translation>Жанр:</translation>
    </message>
    <message>
        <source>Type:</source>
        <translation>Тип:</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>нет данных</translation>
    </message>
    <message numerus="yes">
        <source>%n title(s)</source>
        <translation>
            <numerusform>%n название</numerusform>
            <numerusform>%n названия</numerusform>
            <numerusform>%n названий</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>animerec::ui::ChartWidget</name>
    <message>
        <source>Nothing to draw yet.</source>
        <translation>Пока нечего показать.</translation>
    </message>
</context>
<context>
    <name>animerec::ui::ComparePanel</name>
    <message>
        <source>User id</source>
        <translation>id пользователя</translation>
    </message>
    <message>
        <source>Anime id</source>
        <translation>id аниме</translation>
    </message>
    <message>
        <source>Session (ids or titles)</source>
        <translation>Сессия (id или названия)</translation>
    </message>
    <message>
        <source>e.g. 1   ·   or a session: Cowboy Bebop; Trigun</source>
        <translation>напр. 1   ·   или сессия: Cowboy Bebop; Trigun</translation>
    </message>
    <message>
        <source>top </source>
        <translation>топ </translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>Сравнить</translation>
    </message>
    <message>
        <source>Pick a user, an anime or type a session, then Compare. Highlighted titles are recommended by several models; hover a row to see why.</source>
        <translation>Выберите пользователя, аниме или введите сессию и нажмите «Сравнить». Подсвечены названия, которые советуют несколько моделей; наведите на строку, чтобы узнать почему.</translation>
    </message>
    <message>
        <source>Models are not loaded yet.</source>
        <translation>Модели ещё не загружены.</translation>
    </message>
    <message>
        <source>Models are not loaded yet: import data and train (Train panel).</source>
        <translation>Модели ещё не загружены: импортируйте данные и обучите модели (панель «Обучение»).</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a user id.</source>
        <translation>&apos;%1&apos; — не id пользователя.</translation>
    </message>
    <message numerus="yes">
        <source>%n title(s), oldest first; blue = why the title in focus is recommended</source>
        <translation>
            <numerusform>%n название, от ранних к поздним; синим — почему советуется выбранное</numerusform>
            <numerusform>%n названия, от ранних к поздним; синим — почему советуется выбранное</numerusform>
            <numerusform>%n названий, от ранних к поздним; синим — почему советуется выбранное</numerusform>
        </translation>
    </message>
    <message>
        <source>User %1 (%2 titles in history)</source>
        <translation>Пользователь %1 (%2 названий в истории)</translation>
    </message>
    <message>
        <source>User %1 is unknown: every list is a cold-start answer.</source>
        <translation>Пользователь %1 неизвестен: каждый список — ответ холодного старта.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not an anime id in the catalogue.</source>
        <translation>&apos;%1&apos; — не id аниме из каталога.</translation>
    </message>
    <message>
        <source>Titles for someone who just watched %1</source>
        <translation>Что посмотреть тому, кто только что посмотрел %1</translation>
    </message>
    <message>
        <source>a session of one title</source>
        <translation>сессия из одного названия</translation>
    </message>
    <message>
        <source>No title of the session is in the catalogue.</source>
        <translation>Ни одного названия сессии нет в каталоге.</translation>
    </message>
    <message numerus="yes">
        <source>Session of %n title(s)</source>
        <translation>
            <numerusform>Сессия из %n названия</numerusform>
            <numerusform>Сессия из %n названий</numerusform>
            <numerusform>Сессия из %n названий</numerusform>
        </translation>
    </message>
    <message>
        <source>the typed session, in order</source>
        <translation>введённая сессия, по порядку</translation>
    </message>
    <message>
        <source>; not found: %1</source>
        <translation>; не найдено: %1</translation>
    </message>
    <message>
        <source>Because you watched %1</source>
        <translation>Потому что вы смотрели %1</translation>
    </message>
    <message numerus="yes">
        <source> — %n title(s) recommended by two or more models (highlighted).</source>
        <translation>
            <numerusform> — %n название советуют две и более моделей (подсвечено).</numerusform>
            <numerusform> — %n названия советуют две и более моделей (подсвечены).</numerusform>
            <numerusform> — %n названий советуют две и более моделей (подсвечены).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>animerec::ui::DataPanel</name>
    <message>
        <source>Import CSV files…</source>
        <translation>Импорт CSV-файлов…</translation>
    </message>
    <message>
        <source>Catalogue</source>
        <translation>Каталог</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Пользователи</translation>
    </message>
    <message>
        <source>&lt;h2&gt;No data yet&lt;/h2&gt;&lt;p&gt;Import MyAnimeList CSV files (anime.csv and animelist.csv / rating.csv) or load the demo data: the real sample of 12,294 anime and the ratings of 1,036 users.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;Данных пока нет&lt;/h2&gt;&lt;p&gt;Импортируйте CSV-файлы MyAnimeList (anime.csv и animelist.csv / rating.csv) или загрузите демо-данные: реальную выборку из 12 294 аниме и оценок 1036 пользователей.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Load demo data (real sample)</source>
        <translation>Загрузить демо-данные (реальная выборка)</translation>
    </message>
</context>
<context>
    <name>animerec::ui::EvaluationResultsModel</name>
    <message>
        <source>Model</source>
        <translation>Модель</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Пользователи</translation>
    </message>
    <message>
        <source>Train s</source>
        <translation>Обучение, с</translation>
    </message>
    <message>
        <source>Eval s</source>
        <translation>Оценка, с</translation>
    </message>
    <message>
        <source>95% bootstrap interval: %1 – %2</source>
        <translation>95% бутстрэп-интервал: %1 – %2</translation>
    </message>
</context>
<context>
    <name>animerec::ui::ExperimentsPanel</name>
    <message>
        <source>Variant</source>
        <translation>Вариант</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Роль</translation>
    </message>
    <message>
        <source>Exposures</source>
        <translation>Показы</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Пользователи</translation>
    </message>
    <message>
        <source>CTR@K</source>
        <translation>CTR@K</translation>
    </message>
    <message>
        <source>Watch</source>
        <translation>Просмотр</translation>
    </message>
    <message>
        <source>Complete</source>
        <translation>Досмотр</translation>
    </message>
    <message>
        <source>Mean rating</source>
        <translation>Средняя оценка</translation>
    </message>
    <message>
        <source>Coverage</source>
        <translation>Покрытие</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>Метрика</translation>
    </message>
    <message>
        <source>Variant vs control</source>
        <translation>Вариант против контроля</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>Разница</translation>
    </message>
    <message>
        <source>95% interval</source>
        <translation>95% интервал</translation>
    </message>
    <message>
        <source>p</source>
        <translation>p</translation>
    </message>
    <message>
        <source>Significant</source>
        <translation>Значимо</translation>
    </message>
    <message>
        <source>CTR over time per variant</source>
        <translation>CTR во времени по вариантам</translation>
    </message>
    <message>
        <source>Simulate replay</source>
        <translation>Смоделировать</translation>
    </message>
    <message>
        <source>New…</source>
        <translation>Новый…</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Запустить</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Пауза</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Остановить</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Обновить</translation>
    </message>
    <message>
        <source>Offline replay (held-out interactions as behaviour)</source>
        <translation>Офлайн-воспроизведение (отложенные взаимодействия как поведение)</translation>
    </message>
    <message>
        <source>Control:</source>
        <translation>Контроль:</translation>
    </message>
    <message>
        <source>Treatment:</source>
        <translation>Тест:</translation>
    </message>
    <message>
        <source>Experiments</source>
        <translation>Эксперименты</translation>
    </message>
    <message>
        <source>time</source>
        <translation>время</translation>
    </message>
    <message>
        <source>Define an experiment (variants and traffic shares), start it, and the server assigns users to variants; or run an offline replay.</source>
        <translation>Опишите эксперимент (варианты и доли трафика), запустите его — сервер распределит пользователей по вариантам; или запустите офлайн-воспроизведение.</translation>
    </message>
    <message>
        <source>New experiment</source>
        <translation>Новый эксперимент</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Имя:</translation>
    </message>
    <message>
        <source>Cannot open the experiments: %1</source>
        <translation>Не удаётся открыть эксперименты: %1</translation>
    </message>
    <message>
        <source>No database: import data first.</source>
        <translation>Нет базы данных: сначала импортируйте данные.</translation>
    </message>
    <message>
        <source>Select an experiment first.</source>
        <translation>Сначала выберите эксперимент.</translation>
    </message>
    <message>
        <source>Pick two different families on a database with data.</source>
        <translation>Выберите два разных семейства на базе с данными.</translation>
    </message>
    <message>
        <source>Replay %1 vs %2</source>
        <translation>Воспроизведение %1 против %2</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; — %2</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; — %2</translation>
    </message>
    <message>
        <source>&lt;br&gt;Exposures per variant needed to detect a %1 lift in CTR: %2</source>
        <translation>&lt;br&gt;Показов на вариант, нужных, чтобы заметить рост CTR на %1: %2</translation>
    </message>
    <message>
        <source>&lt;br&gt;No significant winner yet.</source>
        <translation>&lt;br&gt;Значимого победителя пока нет.</translation>
    </message>
    <message>
        <source>&lt;br&gt;Winner: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>&lt;br&gt;Победитель: &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>да</translation>
    </message>
    <message>
        <source>no</source>
        <translation>нет</translation>
    </message>
    <message>
        <source>hours since the first exposure</source>
        <translation>часы с первого показа</translation>
    </message>
    <message>
        <source>Variants (name=model[@version][:share], model a role or a model family, comma-separated):</source>
        <translation>Варианты (имя=модель[@версия][:доля], модель — роль или семейство моделей, через запятую):</translation>
    </message>
</context>
<context>
    <name>animerec::ui::HistoryView</name>
    <message>
        <source>#</source>
        <translation>№</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Название</translation>
    </message>
    <message>
        <source>Rating</source>
        <translation>Оценка</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <source>A user&apos;s history appears here.</source>
        <translation>Здесь появится история пользователя.</translation>
    </message>
    <message>
        <source>History</source>
        <translation>История</translation>
    </message>
</context>
<context>
    <name>animerec::ui::ImportDialog</name>
    <message>
        <source>Import</source>
        <translation>Импорт</translation>
    </message>
    <message>
        <source>Import CSV files</source>
        <translation>Импорт CSV-файлов</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Обзор…</translation>
    </message>
    <message>
        <source>Anime file (anime.csv):</source>
        <translation>Файл аниме (anime.csv):</translation>
    </message>
    <message>
        <source>Interactions (animelist.csv / rating.csv):</source>
        <translation>Взаимодействия (animelist.csv / rating.csv):</translation>
    </message>
    <message>
        <source>Fail when the share of bad rows exceeds:</source>
        <translation>Прервать, если доля плохих строк больше:</translation>
    </message>
    <message>
        <source>The first lines of each file appear here.</source>
        <translation>Здесь появятся первые строки каждого файла.</translation>
    </message>
    <message>
        <source>Summary and rejected rows (file:line: reason) after the import.</source>
        <translation>Итоги и отклонённые строки (файл:строка: причина) после импорта.</translation>
    </message>
    <message>
        <source>Preview:</source>
        <translation>Предпросмотр:</translation>
    </message>
    <message>
        <source>Anime CSV</source>
        <translation>CSV аниме</translation>
    </message>
    <message>
        <source>Interactions CSV</source>
        <translation>CSV взаимодействий</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV-файлы (*.csv);;Все файлы (*)</translation>
    </message>
    <message>
        <source>Pick both files first.</source>
        <translation>Сначала выберите оба файла.</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>Импорт…</translation>
    </message>
    <message>
        <source>Imported %1 anime, %2 users, %3 interactions in %4 s; %5 rows rejected.</source>
        <translation>Импортировано: %1 аниме, %2 пользователей, %3 взаимодействий за %4 с; отклонено строк: %5.</translation>
    </message>
    <message>
        <source>Layouts: %1 / %2
Rejects (%3):
%4</source>
        <translation>Форматы: %1 / %2
Отклонено (%3):
%4</translation>
    </message>
    <message>
        <source>Import cancelled: the database is unchanged.</source>
        <translation>Импорт отменён: база не изменилась.</translation>
    </message>
    <message>
        <source>Import failed: the database is unchanged.</source>
        <translation>Импорт не удался: база не изменилась.</translation>
    </message>
</context>
<context>
    <name>animerec::ui::MainWindow</name>
    <message>
        <source>AnimeRec Studio — %1</source>
        <translation>AnimeRec Studio — %1</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Данные</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>Сравнение</translation>
    </message>
    <message>
        <source>Metrics</source>
        <translation>Метрики</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>Обучение</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Сервер</translation>
    </message>
    <message>
        <source>New user</source>
        <translation>Новый пользователь</translation>
    </message>
    <message>
        <source>Experiments</source>
        <translation>Эксперименты</translation>
    </message>
    <message>
        <source>Map</source>
        <translation>Карта</translation>
    </message>
    <message>
        <source>Models: %1</source>
        <translation>Модели: %1</translation>
    </message>
    <message>
        <source>Database: %1</source>
        <translation>База данных: %1</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Файл</translation>
    </message>
    <message>
        <source>&amp;Import CSV files…</source>
        <translation>&amp;Импорт CSV-файлов…</translation>
    </message>
    <message>
        <source>&amp;Reload data and models</source>
        <translation>&amp;Перезагрузить данные и модели</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Выход</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Вид</translation>
    </message>
    <message>
        <source>%1	Ctrl+%2</source>
        <translation>%1	Ctrl+%2</translation>
    </message>
    <message>
        <source>Generate demo data</source>
        <translation>Создание демо-данных</translation>
    </message>
    <message>
        <source>%1 (Ctrl+%2)</source>
        <translation>%1 (Ctrl+%2)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Язык</translation>
    </message>
    <message>
        <source>The language changes when Studio starts again.</source>
        <translation>Язык сменится при следующем запуске Studio.</translation>
    </message>
    <message>
        <source>&amp;Load demo data (real sample)</source>
        <translation>&amp;Загрузить демо-данные (реальная выборка)</translation>
    </message>
    <message>
        <source>Import the real sample</source>
        <translation>Импорт реальной выборки</translation>
    </message>
    <message>
        <source>Demo data</source>
        <translation>Демо-данные</translation>
    </message>
    <message>
        <source>Monitoring</source>
        <translation>Мониторинг</translation>
    </message>
</context>
<context>
    <name>animerec::ui::MapPanel</name>
    <message>
        <source>ALS item factors</source>
        <translation>Факторы объектов ALS</translation>
    </message>
    <message>
        <source>Content vectors</source>
        <translation>Контентные векторы</translation>
    </message>
    <message>
        <source>colour by primary genre</source>
        <translation>цвет по основному жанру</translation>
    </message>
    <message>
        <source>colour by popularity (members)</source>
        <translation>цвет по популярности (участники)</translation>
    </message>
    <message>
        <source>overlay a user id</source>
        <translation>наложить id пользователя</translation>
    </message>
    <message>
        <source>Draw map</source>
        <translation>Построить карту</translation>
    </message>
    <message>
        <source>first principal component</source>
        <translation>первая главная компонента</translation>
    </message>
    <message>
        <source>second principal component</source>
        <translation>вторая главная компонента</translation>
    </message>
    <message>
        <source>%1 (%2)
%3</source>
        <translation>%1 (%2)
%3</translation>
    </message>
    <message>
        <source>Draw the map of a model&apos;s item vectors; drag to pan, wheel to zoom, hover a point for its title.</source>
        <translation>Постройте карту векторов объектов модели; перетаскивание — сдвиг, колесо — масштаб, наведение — название точки.</translation>
    </message>
    <message>
        <source>Data and models are not loaded yet.</source>
        <translation>Данные и модели ещё не загружены.</translation>
    </message>
    <message>
        <source>Projecting %1</source>
        <translation>Проекция: %1</translation>
    </message>
    <message>
        <source>other</source>
        <translation>прочие</translation>
    </message>
    <message>
        <source>least listed quarter</source>
        <translation>наименее популярная четверть</translation>
    </message>
    <message>
        <source>second quarter</source>
        <translation>вторая четверть</translation>
    </message>
    <message>
        <source>third quarter</source>
        <translation>третья четверть</translation>
    </message>
    <message>
        <source>most listed quarter</source>
        <translation>самая популярная четверть</translation>
    </message>
    <message>
        <source>user %1: history</source>
        <translation>пользователь %1: история</translation>
    </message>
    <message>
        <source>user %1: collaborative top %2</source>
        <translation>пользователь %1: коллаборативный топ-%2</translation>
    </message>
    <message>
        <source>%1: %2 titles; the two axes keep %3% of the variance.%4</source>
        <translation>%1: %2 названий; две оси сохраняют %3% дисперсии.%4</translation>
    </message>
    <message>
        <source> User %1: %2 history titles, %3 recommendations drawn.</source>
        <translation> Пользователь %1: нанесено %2 названий истории и %3 рекомендаций.</translation>
    </message>
</context>
<context>
    <name>animerec::ui::MetricsPanel</name>
    <message>
        <source>Evaluation</source>
        <translation>Оценка качества</translation>
    </message>
    <message>
        <source>Random holdout</source>
        <translation>Случайная отложенная выборка</translation>
    </message>
    <message>
        <source>Leave last N out</source>
        <translation>Последние N</translation>
    </message>
    <message>
        <source>All items</source>
        <translation>Все объекты</translation>
    </message>
    <message>
        <source>Interacted items</source>
        <translation>Объекты с взаимодействиями</translation>
    </message>
    <message>
        <source>Rank the whole catalogue, or only items that occur in train or test</source>
        <translation>Ранжировать весь каталог или только объекты, встречающиеся в обучении или тесте</translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation>Протокол</translation>
    </message>
    <message>
        <source>Holdout share</source>
        <translation>Доля отложенных</translation>
    </message>
    <message>
        <source>Last N</source>
        <translation>Последние N</translation>
    </message>
    <message>
        <source>Min. events</source>
        <translation>Мин. событий</translation>
    </message>
    <message>
        <source>K</source>
        <translation>K</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Зерно</translation>
    </message>
    <message>
        <source>Catalogue</source>
        <translation>Каталог</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Модели</translation>
    </message>
    <message>
        <source>Hyper-parameters per model family: family.name=value, separated by &apos;;&apos;</source>
        <translation>Гиперпараметры по семействам: семейство.имя=значение, через &apos;;&apos;</translation>
    </message>
    <message>
        <source>Run evaluation</source>
        <translation>Запустить оценку</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Параметры</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Экспорт</translation>
    </message>
    <message>
        <source>Charts as PNG…</source>
        <translation>Графики в PNG…</translation>
    </message>
    <message>
        <source>Charts as PDF…</source>
        <translation>Графики в PDF…</translation>
    </message>
    <message>
        <source>Results table as CSV…</source>
        <translation>Таблица результатов в CSV…</translation>
    </message>
    <message>
        <source>Metrics:</source>
        <translation>Метрики:</translation>
    </message>
    <message>
        <source>Curve:</source>
        <translation>Кривая:</translation>
    </message>
    <message>
        <source>Metrics at K per model</source>
        <translation>Метрики при K по моделям</translation>
    </message>
    <message>
        <source>Accuracy by list length</source>
        <translation>Точность по длине списка</translation>
    </message>
    <message>
        <source>Long tail: recommendations vs catalogue popularity</source>
        <translation>Длинный хвост рекомендаций</translation>
    </message>
    <message>
        <source>Training curves</source>
        <translation>Кривые обучения</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Результаты</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Запуск</translation>
    </message>
    <message>
        <source>Date (UTC)</source>
        <translation>Дата (UTC)</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Пользователи</translation>
    </message>
    <message>
        <source>History</source>
        <translation>История</translation>
    </message>
    <message>
        <source>Choose at least one model.</source>
        <translation>Выберите хотя бы одну модель.</translation>
    </message>
    <message>
        <source>Evaluating %1…</source>
        <translation>Оценка %1…</translation>
    </message>
    <message numerus="yes">
        <source>Evaluated %n model(s) on %1 users.</source>
        <translation>
            <numerusform>Оценена %n модель на %1 пользователях.</numerusform>
            <numerusform>Оценены %n модели на %1 пользователях.</numerusform>
            <numerusform>Оценено %n моделей на %1 пользователях.</numerusform>
        </translation>
    </message>
    <message>
        <source> Not stored: %1</source>
        <translation> Не сохранено: %1</translation>
    </message>
    <message>
        <source>Evaluation cancelled.</source>
        <translation>Оценка отменена.</translation>
    </message>
    <message>
        <source>Export charts to</source>
        <translation>Экспорт графиков в</translation>
    </message>
    <message numerus="yes">
        <source>Wrote %n chart(s) to %1.</source>
        <translation>
            <numerusform>Записан %n график в %1.</numerusform>
            <numerusform>Записаны %n графика в %1.</numerusform>
            <numerusform>Записано %n графиков в %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not write every chart to %1.</source>
        <translation>Не удалось записать все графики в %1.</translation>
    </message>
    <message>
        <source>Export results</source>
        <translation>Экспорт результатов</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-файлы (*.csv)</translation>
    </message>
    <message>
        <source>Wrote %1.</source>
        <translation>Записано: %1.</translation>
    </message>
    <message>
        <source>Cannot write %1.</source>
        <translation>Не удаётся записать %1.</translation>
    </message>
    <message>
        <source>Showing stored run %1 (curves and long tail are kept only for runs of this session).</source>
        <translation>Показан сохранённый запуск %1 (кривые и длинный хвост хранятся только для запусков этой сессии).</translation>
    </message>
    <message>
        <source> Failed: %1</source>
        <translation> Ошибка: %1</translation>
    </message>
    <message>
        <source>Kept only for evaluations run in this session.</source>
        <translation>Хранится только для оценок, запущенных в этом сеансе.</translation>
    </message>
</context>
<context>
    <name>animerec::ui::MonitoringPanel</name>
    <message>
        <source>Refresh every 5 s</source>
        <translation>Обновлять каждые 5 с</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Обновить</translation>
    </message>
    <message>
        <source>Lists served per 5 minutes</source>
        <translation>Выданные списки за 5 минут</translation>
    </message>
    <message>
        <source>Running server</source>
        <translation>Работающий сервер</translation>
    </message>
    <message>
        <source>Shared database</source>
        <translation>Общая база данных</translation>
    </message>
    <message>
        <source>Last 5 minutes</source>
        <translation>Последние 5 минут</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>Последний час</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Последние 24 часа</translation>
    </message>
    <message>
        <source>Since start</source>
        <translation>С момента запуска</translation>
    </message>
    <message>
        <source>Source:</source>
        <translation>Источник:</translation>
    </message>
    <message>
        <source>Window:</source>
        <translation>Окно:</translation>
    </message>
    <message>
        <source>Model · route</source>
        <translation>Модель · маршрут</translation>
    </message>
    <message>
        <source>Lists</source>
        <translation>Списки</translation>
    </message>
    <message>
        <source>Sampled</source>
        <translation>В выборке</translation>
    </message>
    <message>
        <source>CTR@10</source>
        <translation>CTR@10</translation>
    </message>
    <message>
        <source>95% CI</source>
        <translation>95% ДИ</translation>
    </message>
    <message>
        <source>Watch</source>
        <translation>Просмотр</translation>
    </message>
    <message>
        <source>Complete</source>
        <translation>Досмотр</translation>
    </message>
    <message>
        <source>Rating</source>
        <translation>Оценка</translation>
    </message>
    <message>
        <source>Coverage</source>
        <translation>Покрытие</translation>
    </message>
    <message>
        <source>Novelty</source>
        <translation>Новизна</translation>
    </message>
    <message>
        <source>Cold start</source>
        <translation>Холодный старт</translation>
    </message>
    <message>
        <source>Unknown ids</source>
        <translation>Неизвестные id</translation>
    </message>
    <message>
        <source>Cache hits</source>
        <translation>Попадания в кэш</translation>
    </message>
    <message>
        <source>hours before now</source>
        <translation>часов назад</translation>
    </message>
    <message>
        <source>lists</source>
        <translation>списки</translation>
    </message>
    <message>
        <source>Poll a running server&apos;s /quality, or read the counts the replicas wrote to the shared database.</source>
        <translation>Опросите /quality работающего сервера или прочитайте счётчики, которые реплики записали в общую базу данных.</translation>
    </message>
    <message>
        <source>Asking %1 …</source>
        <translation>Запрос к %1 …</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1: %2 lists, %3 sampled, CTR@10 %4 since start; %5 (at %6)</source>
        <translation>%1: %2 списков, %3 в выборке, CTR@10 %4 с момента запуска; %5 (в %6)</translation>
    </message>
    <message>
        <source>All replicas</source>
        <translation>Все реплики</translation>
    </message>
    <message>
        <source>This server</source>
        <translation>Этот сервер</translation>
    </message>
    <message>
        <source>new users %1, unknown titles %2</source>
        <translation>новые пользователи %1, неизвестные названия %2</translation>
    </message>
    <message>
        <source>CTR@10 of sampled lists per 30 minutes</source>
        <translation>CTR@10 выборочных списков по 30 минут</translation>
    </message>
    <message>
        <source>No sampled lists yet.</source>
        <translation>Пока нет выбранных для оценки списков.</translation>
    </message>
    <message>
        <source>No lists served yet.</source>
        <translation>Пока не выдано ни одного списка.</translation>
    </message>
</context>
<context>
    <name>animerec::ui::NewUserPanel</name>
    <message>
        <source>No user yet: the lists show what a brand-new visitor gets.</source>
        <translation>Пользователя ещё нет: списки показывают, что получает совсем новый посетитель.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <source>Create user</source>
        <translation>Создать пользователя</translation>
    </message>
    <message>
        <source>1. User</source>
        <translation>1. Пользователь</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Имя:</translation>
    </message>
    <message>
        <source>Joined:</source>
        <translation>Зарегистрирован:</translation>
    </message>
    <message>
        <source>2. Favourite genres</source>
        <translation>2. Любимые жанры</translation>
    </message>
    <message>
        <source>Type a title…</source>
        <translation>Введите название…</translation>
    </message>
    <message>
        <source>rating </source>
        <translation>оценка </translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Добавить</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Название</translation>
    </message>
    <message>
        <source>Rating</source>
        <translation>Оценка</translation>
    </message>
    <message>
        <source>3. Rate a few titles</source>
        <translation>3. Оцените несколько названий</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a title of the catalogue.</source>
        <translation>&apos;%1&apos; — не название из каталога.</translation>
    </message>
    <message>
        <source>Cannot create a user: no database (import data first).</source>
        <translation>Нельзя создать пользователя: нет базы данных (сначала импортируйте данные).</translation>
    </message>
    <message>
        <source>Cannot create the user: %1</source>
        <translation>Не удалось создать пользователя: %1</translation>
    </message>
    <message>
        <source>User %1 (%2) created; ratings are saved to the database.</source>
        <translation>Пользователь %1 (%2) создан; оценки сохраняются в базу.</translation>
    </message>
    <message>
        <source>no name</source>
        <translation>без имени</translation>
    </message>
    <message>
        <source>Could not store the rating: %1</source>
        <translation>Не удалось сохранить оценку: %1</translation>
    </message>
    <message>
        <source>Models are not loaded yet.</source>
        <translation>Модели ещё не загружены.</translation>
    </message>
</context>
<context>
    <name>animerec::ui::RecommendationList</name>
    <message>
        <source>#</source>
        <translation>№</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Название</translation>
    </message>
    <message>
        <source>Genres</source>
        <translation>Жанры</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>Балл</translation>
    </message>
    <message>
        <source>No query yet.</source>
        <translation>Запроса ещё не было.</translation>
    </message>
</context>
<context>
    <name>animerec::ui::ServerPanel</name>
    <message>
        <source>A/B tests and feedback</source>
        <translation>A/B-тесты и отклики</translation>
    </message>
    <message>
        <source>Start server</source>
        <translation>Запустить сервер</translation>
    </message>
    <message>
        <source>Requests per second</source>
        <translation>Запросов в секунду</translation>
    </message>
    <message>
        <source>Latency (ms)</source>
        <translation>Задержка (мс)</translation>
    </message>
    <message>
        <source>this machine (127.0.0.1)</source>
        <translation>эта машина (127.0.0.1)</translation>
    </message>
    <message>
        <source>every interface (%1)</source>
        <translation>все интерфейсы (%1)</translation>
    </message>
    <message>
        <source>port </source>
        <translation>порт </translation>
    </message>
    <message>
        <source>0 picks a free port</source>
        <translation>0 — любой свободный порт</translation>
    </message>
    <message>
        <source>warm-up users </source>
        <translation>прогрев: пользователей </translation>
    </message>
    <message>
        <source>Answers of the most active users computed before /ready (0 = off)</source>
        <translation>Ответы самых активных пользователей вычисляются до /ready (0 — выкл.)</translation>
    </message>
    <message>
        <source>exploration </source>
        <translation>исследование </translation>
    </message>
    <message>
        <source>Share of a new user&apos;s list sampled below the top popular titles</source>
        <translation>Доля списка нового пользователя, выбираемая ниже самых популярных</translation>
    </message>
    <message>
        <source>Request log file (JSON lines, rotated); empty = none</source>
        <translation>Файл журнала запросов (строки JSON, с ротацией); пусто — без файла</translation>
    </message>
    <message>
        <source>log file</source>
        <translation>файл журнала</translation>
    </message>
    <message>
        <source>Requests appear here while the server runs.</source>
        <translation>Пока сервер работает, здесь появляются запросы.</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>секунды</translation>
    </message>
    <message>
        <source>requests/s</source>
        <translation>запросов/с</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>мс</translation>
    </message>
    <message>
        <source>No data or models loaded yet: import data and train first.</source>
        <translation>Данные или модели ещё не загружены: сначала импортируйте данные и обучите модели.</translation>
    </message>
    <message>
        <source>A/B tests and feedback off: %1</source>
        <translation>A/B-тесты и отклики выключены: %1</translation>
    </message>
    <message>
        <source>Could not listen on %1:%2 (in use?).</source>
        <translation>Не удаётся слушать %1:%2 (занят?).</translation>
    </message>
    <message>
        <source>p50</source>
        <translation>p50</translation>
    </message>
    <message>
        <source>p99</source>
        <translation>p99</translation>
    </message>
    <message>
        <source>Stop server</source>
        <translation>Остановить сервер</translation>
    </message>
    <message>
        <source>Serving http://%1:%2 — the routes of `animerec serve`: GET /top, POST /recommend_collaborative, /feedback, /ab/…, /metrics …</source>
        <translation>Обслуживает http://%1:%2 — маршруты `animerec serve`: GET /top, POST /recommend_collaborative, /feedback, /ab/…, /metrics …</translation>
    </message>
    <message>
        <source>Serving</source>
        <translation>Обслуживает</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>Остановлен.</translation>
    </message>
</context>
<context>
    <name>animerec::ui::StudioContext</name>
    <message>
        <source>Loading data and models</source>
        <translation>Загрузка данных и моделей</translation>
    </message>
    <message>
        <source>loaded %1</source>
        <translation>загружено %1</translation>
    </message>
    <message>
        <source>no model for %1</source>
        <translation>нет модели для %1</translation>
    </message>
    <message>
        <source>FAILED %1</source>
        <translation>ОШИБКА %1</translation>
    </message>
    <message>
        <source>collaborative: %1, %2</source>
        <translation>коллаборативная: %1, %2</translation>
    </message>
</context>
<context>
    <name>animerec::ui::TaskStatus</name>
    <message>
        <source>%1 s</source>
        <translation>%1 с</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 мин %2 с</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 ч %2 мин</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>%1: done</source>
        <translation>%1: готово</translation>
    </message>
    <message>
        <source>%1: cancelled</source>
        <translation>%1: отменено</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 не удалось: %2</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Отмена…</translation>
    </message>
    <message>
        <source>%p% · %1 left</source>
        <translation>%p% · осталось %1</translation>
    </message>
</context>
<context>
    <name>animerec::ui::TitlePage</name>
    <message>
        <source>Ratings given in this data</source>
        <translation>Оценки в этих данных</translation>
    </message>
    <message>
        <source>rating</source>
        <translation>оценка</translation>
    </message>
    <message>
        <source>users</source>
        <translation>пользователи</translation>
    </message>
    <message>
        <source>Data and models are not loaded yet.</source>
        <translation>Данные и модели ещё не загружены.</translation>
    </message>
    <message>
        <source>%1 — AnimeRec Studio</source>
        <translation>%1 — AnimeRec Studio</translation>
    </message>
    <message>
        <source>&lt;h2&gt;%1&lt;/h2&gt;&lt;p&gt;id %2 · %3 · %4 episodes&lt;/p&gt;&lt;p&gt;%5&lt;/p&gt;&lt;p&gt;MyAnimeList rating %6 · %7 members&lt;/p&gt;</source>
        <translation>&lt;h2&gt;%1&lt;/h2&gt;&lt;p&gt;id %2 · %3 · эпизодов: %4&lt;/p&gt;&lt;p&gt;%5&lt;/p&gt;&lt;p&gt;оценка MyAnimeList %6 · участников: %7&lt;/p&gt;</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>Who lists it here: %1 users (%2); %3 rated it, mean %4.</source>
        <translation>Кто смотрит здесь: %1 пользователей (%2); оценили %3, средняя %4.</translation>
    </message>
    <message>
        <source>nobody</source>
        <translation>никто</translation>
    </message>
</context>
<context>
    <name>animerec::ui::TrainPanel</name>
    <message>
        <source>Train a model</source>
        <translation>Обучить модель</translation>
    </message>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <source>Choose the models directory</source>
        <translation>Выберите каталог моделей</translation>
    </message>
    <message>
        <source>Family</source>
        <translation>Семейство</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Параметры</translation>
    </message>
    <message>
        <source>Models dir</source>
        <translation>Каталог моделей</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>Обучить</translation>
    </message>
    <message>
        <source>Train all</source>
        <translation>Обучить все</translation>
    </message>
    <message>
        <source>Train every family with its defaults (the parameters above apply to the chosen family)</source>
        <translation>Обучить каждое семейство с параметрами по умолчанию (параметры выше относятся к выбранному семейству)</translation>
    </message>
    <message>
        <source>Models directory</source>
        <translation>Каталог моделей</translation>
    </message>
    <message>
        <source>Model files</source>
        <translation>Файлы моделей</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Версия</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Размер</translation>
    </message>
    <message>
        <source>Modified</source>
        <translation>Изменён</translation>
    </message>
    <message>
        <source>Latest metrics</source>
        <translation>Последние метрики</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>Путь</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Обновить</translation>
    </message>
    <message>
        <source>Training loss of the last run</source>
        <translation>Потери обучения в последнем запуске</translation>
    </message>
    <message>
        <source>NDCG@K</source>
        <translation>NDCG@K</translation>
    </message>
    <message>
        <source>Recall@K</source>
        <translation>Recall@K</translation>
    </message>
    <message>
        <source>Training curve</source>
        <translation>Кривая обучения</translation>
    </message>
    <message>
        <source>Tuning trials</source>
        <translation>Попытки подбора</translation>
    </message>
    <message>
        <source>Choose a models directory.</source>
        <translation>Выберите каталог моделей.</translation>
    </message>
    <message>
        <source>Training %1</source>
        <translation>Обучение %1</translation>
    </message>
    <message>
        <source>Training all models</source>
        <translation>Обучение всех моделей</translation>
    </message>
    <message>
        <source>Training finished.</source>
        <translation>Обучение завершено.</translation>
    </message>
    <message>
        <source>Training cancelled.</source>
        <translation>Обучение отменено.</translation>
    </message>
    <message>
        <source>not evaluated</source>
        <translation>не оценивалась</translation>
    </message>
    <message>
        <source>Quality gate</source>
        <translation>Контроль качества</translation>
    </message>
    <message>
        <source>Hyper-parameters as for animerec --param: family.name=value, separated by &apos;,&apos;; when tuning, values to try as family.name=v1|v2</source>
        <translation>Гиперпараметры как для animerec --param: семейство.имя=значение через &apos;,&apos;; при подборе — значения для перебора: семейство.имя=v1|v2</translation>
    </message>
    <message>
        <source>Tune first</source>
        <translation>Сначала подобрать параметры</translation>
    </message>
    <message>
        <source>Search the parameters (the grids given, else the family&apos;s default search space) on a validation split carved from the data; the best are then trained on all data</source>
        <translation>Подбор параметров (по заданным сеткам, иначе по стандартному пространству поиска семейства) на валидационной выборке, выделенной из данных; лучшие затем обучаются на всех данных</translation>
    </message>
    <message>
        <source>Publish even if the quality gate refuses</source>
        <translation>Публиковать, даже если контроль качества отклонит</translation>
    </message>
    <message>
        <source>Trained: %1.</source>
        <translation>Обучены: %1.</translation>
    </message>
    <message>
        <source>Quality gate: %1</source>
        <translation>Контроль качества: %1</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1: ошибка: %2</translation>
    </message>
</context>
<context>
    <name>animerec::ui::UserBrowser</name>
    <message>
        <source>Select a user to see their history.</source>
        <translation>Выберите пользователя, чтобы увидеть его историю.</translation>
    </message>
    <message>
        <source>User id or name…</source>
        <translation>id или имя пользователя…</translation>
    </message>
    <message>
        <source>User %1: the history could not be read: %2</source>
        <translation>Пользователь %1: историю не удалось прочитать: %2</translation>
    </message>
    <message numerus="yes">
        <source>User %1: %n title(s) in sequence order</source>
        <translation>
            <numerusform>Пользователь %1: %n название по порядку</numerusform>
            <numerusform>Пользователь %1: %n названия по порядку</numerusform>
            <numerusform>Пользователь %1: %n названий по порядку</numerusform>
        </translation>
    </message>
</context>
</TS>
